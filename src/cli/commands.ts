import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Every command group, by the top-level commands it registers. Each group's module (and the services
 * it imports) loads only when one of its commands runs, so `revintel export` does not pay for the web
 * server, the Stripe SDK or the demo seed; help and unknown commands load them all.
 */
export interface CommandGroup {
  commands: readonly string[];
  load(): Promise<Register>;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { commands: ["start"], load: async () => (await import("./start.ts")).registerStart },
  { commands: ["serve", "worker"], load: async () => (await import("./serve.ts")).registerServe },
  { commands: ["migrate"], load: async () => (await import("./migrate.ts")).registerMigrate },
  { commands: ["seed-demo"], load: async () => (await import("./seed.ts")).registerSeed },
  { commands: ["users"], load: async () => (await import("./users.ts")).registerUsers },
  { commands: ["audit"], load: async () => (await import("./audit.ts")).registerAudit },
  { commands: ["check-deploy"], load: async () => (await import("./check-deploy.ts")).registerCheckDeploy },
  { commands: ["checks"], load: async () => (await import("./checks.ts")).registerChecks },
  { commands: ["backup", "restore"], load: async () => (await import("./backup.ts")).registerBackup },
  { commands: ["customers"], load: async () => (await import("./customers.ts")).registerCustomers },
  { commands: ["kpis"], load: async () => (await import("./kpis.ts")).registerKpis },
  { commands: ["snapshots"], load: async () => (await import("./snapshots.ts")).registerSnapshots },
  { commands: ["orders"], load: async () => (await import("./orders.ts")).registerOrders },
  { commands: ["export"], load: async () => (await import("./export.ts")).registerExport },
  { commands: ["stripe"], load: async () => (await import("./stripe.ts")).registerStripe },
  { commands: ["fx"], load: async () => (await import("./fx.ts")).registerFx },
  { commands: ["simulate"], load: async () => (await import("./simulate.ts")).registerSimulate },
];

/** The group that owns `argv`'s command, or every group when there is none (help, version, a typo). */
export function groupsFor(argv: readonly string[]): readonly CommandGroup[] {
  const name = argv[0];
  const group = COMMAND_GROUPS.find((g) => name !== undefined && g.commands.includes(name));
  return group ? [group] : COMMAND_GROUPS;
}
