/** Export packs (finance, ops, BI): streamed CSV files plus a manifest, to a directory or a zip. */
export {
  canExport,
  checkExportRequest,
  type ExportRequest,
  exportPack,
} from "./export.ts";
export { type Manifest, PACK_NAMES, type PackName, SCHEMA_VERSION } from "./pack.ts";
export { PACK_FILES, PACK_PERMISSION } from "./packs.ts";
export { customerKeyer } from "./pseudonym.ts";
export { directorySink, type PackSink, zipSink } from "./sink.ts";
