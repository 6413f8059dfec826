export { sloReport, reportQueries, REPORT_COLUMNS, type ReportRow, type ReportOptions } from './report.ts';
export { toCsv, csvField, type CsvValue } from './csv.ts';
export { queryRange, type RangeSeries, type RangeOptions } from './prometheus.ts';
export { newestReportAge, parseDuration, previousPeriod, reportFileName, writeReportFile } from './schedule.ts';
