/**
 * The password length limits, apart from the hashing code (argon2, the common-password list), so
 * the route table can state them without loading either into every gateway.
 */
export const PASSWORD_MIN = 8;
/** An upper bound keeps hashing cost bounded for absurd inputs. */
export const PASSWORD_MAX = 128;
