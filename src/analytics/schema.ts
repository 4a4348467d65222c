// Snapshot tables (owned by the analytics domain).
export {};
