export { type AuditRow, auditEventsAbout } from "./about.ts";
export { type Actor, cliActor, systemActor, webhookActor } from "./actor.ts";
export {
  type AuditFilter,
  audit,
  iterateAuditEvents,
  listAuditEvents,
  type VerifyResult,
  verifyAuditChain,
} from "./service.ts";
