/**
 * Sessions: a refresh-token family per login. Refreshing rotates the token; presenting a rotated
 * token again revokes the whole family (it leaked), except within a short grace after its
 * rotation, when it gets the same new pair (two tabs refreshing at once). Revoking a family also kills its access
 * tokens on every node through the shared revocation store.
 */
import { Op, type Sequelize } from "sequelize";
import type { Revocations } from "../auth/revocations.ts";
import {
  hashRefreshToken,
  judgeRefreshToken,
  newRefreshToken,
  newSessionId,
  signAccessToken,
  type TokenSettings,
} from "../auth/tokens.ts";
import { UnauthorizedError } from "../errors.ts";
import type { KeyValueStore } from "../store/kv.ts";
import { awaitSuccessor, keepSuccessor } from "./refresh-grace.ts";
import { publicUser, type User, type UserModels } from "./models.ts";

export interface SessionDeps {
  sequelize: Sequelize;
  models: UserModels;
  tokens: TokenSettings;
  revocations: Revocations;
  refreshTtlSeconds: number;
  store: KeyValueStore;
  /** How long a just-rotated refresh token gets its successor pair again (0: never). */
  reuseGraceMs: number;
}

export interface IssuedSession {
  user: ReturnType<typeof publicUser>;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Issues an access token and a new refresh token in the given (or a new) family. */
export async function issueSession(
  deps: SessionDeps,
  user: User,
  familyId = newSessionId(),
): Promise<IssuedSession> {
  const refreshToken = newRefreshToken();
  await deps.models.RefreshToken.create({
    userId: user.id,
    familyId,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: new Date(Date.now() + deps.refreshTtlSeconds * 1000),
    rotatedAt: null,
    revokedAt: null,
  });
  return {
    user: publicUser(user),
    accessToken: signAccessToken(deps.tokens, { id: String(user.id), role: user.role }, familyId),
    refreshToken,
    expiresIn: deps.tokens.accessTtlSeconds,
  };
}

/** Exchanges a refresh token for a new pair; the presented one is dead afterwards. */
export async function rotateSession(deps: SessionDeps, presented: string): Promise<IssuedSession> {
  const { RefreshToken, User } = deps.models;
  const row = await RefreshToken.findOne({ where: { tokenHash: hashRefreshToken(presented) } });
  const verdict = judgeRefreshToken(row, new Date());
  if (verdict === "reused" && row) {
    const again = await withinGrace(deps, row.rotatedAt, presented);
    if (again) return again;
    await revokeFamily(deps, row.familyId);
  }
  if (verdict !== "valid" || !row) throw invalidRefresh();

  // Only one of two concurrent refreshes with the same token can win; the loser gets the
  // winner's pair within the grace, and is a reuse without one.
  const rotatedAt = new Date();
  const [won] = await RefreshToken.update(
    { rotatedAt },
    { where: { id: row.id, rotatedAt: null, revokedAt: null } },
  );
  if (won !== 1) {
    const again = await withinGrace(deps, rotatedAt, presented);
    if (again) return again;
    await revokeFamily(deps, row.familyId);
    throw invalidRefresh();
  }
  const user = await User.findByPk(row.userId);
  if (!user) throw invalidRefresh();
  const next = await issueSession(deps, user, row.familyId);
  if (deps.reuseGraceMs > 0) await keepSuccessor(deps.store, presented, next, deps.reuseGraceMs);
  return next;
}

/** The successor pair of a token rotated less than the grace ago, or null. */
async function withinGrace(
  deps: SessionDeps,
  rotatedAt: Date | null,
  presented: string,
): Promise<IssuedSession | null> {
  if (deps.reuseGraceMs <= 0 || !rotatedAt) return null;
  if (Date.now() - rotatedAt.getTime() > deps.reuseGraceMs) return null;
  return awaitSuccessor<IssuedSession>(deps.store, presented);
}

/** Ends a session everywhere: its refresh tokens and its access tokens. */
export async function revokeFamily(deps: SessionDeps, familyId: string): Promise<void> {
  await deps.models.RefreshToken.update(
    { revokedAt: new Date() },
    { where: { familyId, revokedAt: null } },
  );
  await deps.revocations.revokeSession(familyId);
}

/** Ends every session of a user, except the one given (e.g. the one changing the password). */
export async function revokeUserSessions(
  deps: SessionDeps,
  userId: string,
  exceptFamilyId?: string,
): Promise<void> {
  const where = exceptFamilyId
    ? { userId, revokedAt: null, familyId: { [Op.ne]: exceptFamilyId } }
    : { userId, revokedAt: null };
  const rows = await deps.models.RefreshToken.findAll({
    attributes: ["familyId"],
    where,
    group: ["familyId"],
  });
  for (const { familyId } of rows) await revokeFamily(deps, familyId);
}

function invalidRefresh(): UnauthorizedError {
  return new UnauthorizedError(
    "Refresh token is invalid, expired or revoked",
    "INVALID_REFRESH_TOKEN",
  );
}
