/**
 * The longest OAuth2 token agg takes: a header value's limit (many servers and proxies hold a header's
 * length in 16 bits; Node's own server takes 16 KiB of headers in all). Longer, it is refused before it
 * is masked as a secret, which builds its encoded forms: a 10 MB one took ~7 s and ~370 MB.
 */
export const MAX_TOKEN_LENGTH = 65_534;
