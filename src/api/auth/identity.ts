/** Who a verified token says the caller is, before we look them up. */
export interface Identity {
  /** Our user uuid (local tokens) or the Cognito `sub` (also used as our uuid). */
  subject: string;
  /** Claims from which a first-time Cognito user is created. */
  username?: string | undefined;
  name?: string | undefined;
  /** The token's expiry, epoch seconds. */
  expiresAt: number;
}

export interface TokenVerifier {
  /** Returns the identity, or throws UnauthorizedError for any token it does not trust. */
  verify(token: string): Promise<Identity>;
}
