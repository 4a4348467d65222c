#!/usr/bin/env node
// The CLI runs the TypeScript sources directly (no build step): from a bundle of them kept fresh in
// node_modules/.cache, or through tsx's loader where that cache cannot be written (bin/cli-bundle.js).
import { loadCli } from "./cli-bundle.js";

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
