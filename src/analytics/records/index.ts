/** The records behind each dashboard figure (drill-down): rows that sum to the figure. */

export {
  allConvertedRecords,
  CONVERTED_RECORD_KPIS,
  CONVERTED_RECORDS_PAGE,
  type ConvertedRecordKpi,
  type ConvertedRecordPage,
  type ConvertedRecordRow,
  convertedFigureKind,
  convertedRecordRows,
  isConvertedRecordKpi,
  isCountFigure,
  listConvertedRecords,
} from "./converted.ts";
export { isStartingRate } from "./converted-sources.ts";
export { figureOf, isRecordKpi, RECORD_KPI_KEYS, RECORD_KPIS, type RecordKpi } from "./kpis.ts";
export { stripeDashboardUrl } from "./links.ts";
export {
  iterateRecords,
  listRecords,
  MAX_RECORD_PAGE,
  RECORD_SORTS,
  type RecordPage,
  type RecordParams,
  type RecordRow,
  type RecordSort,
} from "./list.ts";
