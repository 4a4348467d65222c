export { LOGIN_WINDOW_MS, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from "./login-throttle.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { can, isRole, PERMISSIONS, type Permission, POLICY, ROLES, type Role } from "./policy.ts";
export {
  type ApiTokenRow,
  createApiToken,
  LoginError,
  listApiTokens,
  login,
  logout,
  resolveApiToken,
  resolveSession,
  revokeApiToken,
  type SessionUser,
  sessionUserOf,
  type TokenPrincipal,
} from "./sessions.ts";
export {
  assertEmailFree,
  openSignUpSession,
  reserveSignUpAttempt,
  SignUpEmailTakenError,
  type SignUpInput,
  signUpSchema,
} from "./sign-up.ts";
export { hmac, randomToken, safeEqual, sha256 } from "./tokens.ts";
export {
  anonymizeLoginsOfCustomer,
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
