// Curated exports of engine/src/wasm (owned by whoever builds wasm). Explicit names, no export *.
export {};
