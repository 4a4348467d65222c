import { openDatabase } from "./src/db/client.ts";
import { migrate } from "./src/db/migrate.ts";

let t = Date.now();
const d = await openDatabase({ dataDir: "memory://" });
console.log("open", Date.now() - t);
t = Date.now();
console.log(await migrate(d));
console.log("migrate", Date.now() - t);
t = Date.now();
const dump = await d.pglite!.dumpDataDir("none");
console.log("dump", Date.now() - t, dump.size);
t = Date.now();
const d2 = await openDatabase({ dataDir: "memory://", loadDataDir: dump });
console.log("load", Date.now() - t);
t = Date.now();
console.log(await migrate(d2));
console.log("migrate2", Date.now() - t);
