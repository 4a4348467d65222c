export { hashPassword, verifyPassword } from "./password.ts";
export { can, isRole, PERMISSIONS, type Permission, POLICY, ROLES, type Role } from "./policy.ts";
export {
  type ApiTokenRow,
  createApiToken,
  LOGIN_WINDOW_MS,
  LoginError,
  listApiTokens,
  login,
  logout,
  MAX_FAILURES_PER_EMAIL,
  MAX_FAILURES_PER_IP,
  resolveApiToken,
  resolveSession,
  revokeApiToken,
  type SessionUser,
  type TokenPrincipal,
} from "./sessions.ts";
export { hmac, randomToken, safeEqual, sha256 } from "./tokens.ts";
export {
  type CreateUserInput,
  countDemoUsers,
  createUser,
  findUserByEmail,
  getUser,
  listUsers,
  type PublicUser,
  setUserActive,
  setUserRole,
} from "./users.ts";
