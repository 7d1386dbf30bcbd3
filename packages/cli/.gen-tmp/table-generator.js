export {};
//# sourceMappingURL=table-generator.js.map