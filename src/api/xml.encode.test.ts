import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { element, escapeXml, members } from './xml.encode.ts';

describe('XML encoding', () => {
  it('escapes the five XML special characters', () => {
    assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('renders members in order, lists as <member>, and skips absent values', () => {
    assert.equal(
      members({ A: 'x', B: 2, C: undefined, D: ['p', 'q'], E: { F: true } }),
      '<A>x</A><B>2</B><D><member>p</member><member>q</member></D><E><F>true</F></E>',
    );
    assert.equal(element('Doc', '%7B%22a%22%7D'), '<Doc>%7B%22a%22%7D</Doc>');
  });
});
