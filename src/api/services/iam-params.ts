/** Query-protocol parameter shapes of IAM: member lists, tags, integers, marker paging. */
import type { IamTag, Page, PageInput } from '../../iam/iam.types.ts';
import type { QueryParams } from '../api.types.ts';

/** `Name.member.1`, `Name.member.2`, … until the first gap. */
export function memberList(params: QueryParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${name}.member.${i}`] !== undefined; i++) {
    out.push(params[`${name}.member.${i}`] as string);
  }
  return out;
}

/** `Tags.member.N.Key` / `.Value`; absent when the request names no tag. */
export function tagList(params: QueryParams): IamTag[] | undefined {
  const tags: IamTag[] = [];
  for (let i = 1; params[`Tags.member.${i}.Key`] !== undefined; i++) {
    tags.push({
      Key: params[`Tags.member.${i}.Key`] as string,
      Value: params[`Tags.member.${i}.Value`] ?? '',
    });
  }
  return tags.length > 0 ? tags : undefined;
}

/** An integer parameter; a value that is not one stays as NaN, which the domain refuses. */
export function integer(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

export function page(params: QueryParams): PageInput {
  const max = integer(params.MaxItems);
  return {
    ...(params.Marker === undefined ? {} : { Marker: params.Marker }),
    ...(max === undefined ? {} : { MaxItems: max }),
  };
}

/** A page as `{<listName>: [...], IsTruncated, Marker?}`. */
export function listResult<T>(listName: string, result: Page<T>): Record<string, unknown> {
  return {
    [listName]: result.items,
    IsTruncated: result.IsTruncated,
    ...(result.Marker === undefined ? {} : { Marker: result.Marker }),
  };
}
