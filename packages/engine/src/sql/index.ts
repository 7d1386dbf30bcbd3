// Curated exports of engine/src/sql (owned by whoever builds sql). Explicit names, no export *.
export {};
