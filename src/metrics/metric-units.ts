// The units and directions of the metric catalogue (src/metrics/catalogue.ts).
export type MetricUnit = 'ms' | 's' | 'ratio' | 'pct' | 'count' | 'fps' | 'Bps' | 'bytes';
export type Better = 'lower' | 'higher';
