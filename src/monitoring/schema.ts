// Data-quality issues (owned by the monitoring domain).
export {};
