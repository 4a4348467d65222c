export { type Actor, cliActor, systemActor, webhookActor } from "./actor.ts";
export { type AuditFilter, audit, iterateAuditEvents, listAuditEvents, verifyAuditChain } from "./service.ts";
