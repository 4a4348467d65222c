import type { Command } from "commander";
import { registerAudit } from "./audit.ts";
import { registerBackup } from "./backup.ts";
import { registerCheckDeploy } from "./check-deploy.ts";
import { registerChecks } from "./checks.ts";
import { registerCustomers } from "./customers.ts";
import { registerExport } from "./export.ts";
import { registerKpis } from "./kpis.ts";
import { registerMigrate } from "./migrate.ts";
import { registerOrders } from "./orders.ts";
import { registerSeed } from "./seed.ts";
import { registerServe } from "./serve.ts";
import { registerSimulate } from "./simulate.ts";
import { registerSnapshots } from "./snapshots.ts";
import { registerStart } from "./start.ts";
import { registerStripe } from "./stripe.ts";
import { registerUsers } from "./users.ts";

/** Every command group; each file is a thin adapter over a service. */
export const COMMAND_GROUPS: Array<(program: Command) => void> = [
  registerStart,
  registerServe,
  registerMigrate,
  registerSeed,
  registerUsers,
  registerAudit,
  registerCheckDeploy,
  registerChecks,
  registerBackup,
  registerCustomers,
  registerKpis,
  registerSnapshots,
  registerOrders,
  registerExport,
  registerStripe,
  registerSimulate,
];
