/**
 * Revenue intelligence: the public API other domains, the CLI, the API and dashboards use.
 * Every number follows kpis.md; dashboards read snapshots (`computeKpis`, `getSeries`…),
 * `computeKpisRaw` reads raw tables and is the reference the reconciliation check compares with.
 */
export { computeConvertedKpis } from "./converted/kpis.ts";
export {
  type ConvertedProductRollup,
  type ConvertedProducts,
  getConvertedProductRollups,
} from "./converted/products.ts";
export { type ConvertedDayDifference, convertedDifferences } from "./converted/reconcile.ts";
export { type ConvertedSeries, getConvertedSeries } from "./converted/series.ts";
export type { ConvertedKpis, ConvertedParams, MissingRates } from "./converted/types.ts";
export { getCohortRetention } from "./queries/cohorts.ts";
export { currenciesWithData } from "./queries/currencies-in-range.ts";
export { defaultCurrency, snapshotDefaultCurrency } from "./queries/currency.ts";
export { type CustomerMrrPoint, customerMrrTimeline } from "./queries/customer-mrr.ts";
export { computeKpis } from "./queries/kpis.ts";
export { getMrrMovementsByMonth } from "./queries/movements-by-month.ts";
export { getMrrByPlan } from "./queries/mrr-by-plan.ts";
export { getBestSellers, getProductRollups } from "./queries/products.ts";
export { getSeries } from "./queries/series.ts";
export { getSubscriberCohorts } from "./queries/subscriber-cohorts.ts";
export { computeKpisRaw, type RawHistory, readRawHistory } from "./raw/kpis.ts";
export {
  allConvertedRecords,
  CONVERTED_RECORD_KPIS,
  CONVERTED_RECORDS_PAGE,
  type ConvertedRecordKpi,
  type ConvertedRecordPage,
  type ConvertedRecordRow,
  convertedFigureKind,
  convertedRecordRows,
  figureOf,
  isConvertedRecordKpi,
  isCountFigure,
  isRecordKpi,
  isStartingRate,
  iterateRecords,
  listConvertedRecords,
  listRecords,
  MAX_RECORD_PAGE,
  RECORD_KPI_KEYS,
  RECORD_KPIS,
  RECORD_SORTS,
  type RecordKpi,
  type RecordPage,
  type RecordParams,
  type RecordRow,
  type RecordSort,
  stripeDashboardUrl,
} from "./records/index.ts";
export { buildSnapshots } from "./snapshots/build.ts";
export { rebuildDirtyDays } from "./snapshots/dirty-rebuild.ts";
export {
  type SnapshotBuildRecord,
  type SnapshotCoverage,
  type SnapshotStatus,
  snapshotStatus,
} from "./snapshots/status.ts";
export type {
  BestSeller,
  BuildResult,
  CohortRow,
  Grain,
  KpiParams,
  Kpis,
  MonthMovements,
  MrrMovements,
  PlanMrr,
  ProductRollup,
  Series,
  SeriesMetric,
  SeriesParams,
  SeriesPoint,
  SnapshotRange,
  SubscriberCohortRow,
} from "./types.ts";
export { SERIES_METRICS } from "./types.ts";
