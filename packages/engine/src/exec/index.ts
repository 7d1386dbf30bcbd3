// Curated exports of engine/src/exec (owned by whoever builds exec). Explicit names, no export *.
export {};
