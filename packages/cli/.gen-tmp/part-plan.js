export const FORMAT_EXTENSIONS = { parquet: 'parquet', csv: 'csv' };
export function partRange(units, parts, part) {
    return { part, from: Math.floor((part * units) / parts), to: Math.floor(((part + 1) * units) / parts) };
}
export function partFileName(table, part, parts, format) {
    const pad = (n) => String(n).padStart(5, '0');
    return `${table}-${pad(part)}-of-${pad(parts)}.${FORMAT_EXTENSIONS[format]}`;
}
//# sourceMappingURL=part-plan.js.map