/**
 * What authentication reports, independent of protocol: sigv4-verify.ts produces it, the request
 * context carries it, and sigv4.errors.ts spells it in each protocol family's error codes.
 */

/** Why a request was not authenticated; `message` is the text AWS gives for the case. */
export interface AuthFailure {
  /**
   * `missing`: no signature at all; `incomplete`: a malformed one; `unknownKey`: no such access
   * key (or session token); `badSignature`: wrong secret, scope or signed headers; `expired`:
   * a clock more than 15 minutes off, or a presigned URL past its expiry; `expiredToken`: a
   * correctly signed request with temporary credentials whose session has expired.
   */
  readonly kind:
    'missing' | 'incomplete' | 'unknownKey' | 'badSignature' | 'expired' | 'expiredToken';
  readonly message: string;
}
