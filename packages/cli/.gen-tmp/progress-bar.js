const REDRAW_MS = 100;
export function createProgressBar(stream, label = 'gen') {
    const tty = stream.isTTY === true;
    let lastDraw = -Infinity;
    let lastDecile = -1;
    let drawn = false;
    return {
        update(p) {
            const fraction = p.rowsTotal > 0 ? Math.min(1, p.rowsDone / p.rowsTotal) : 1;
            const finished = p.rowsDone >= p.rowsTotal;
            if (tty) {
                if (!finished && p.elapsedMs - lastDraw < REDRAW_MS)
                    return;
                lastDraw = p.elapsedMs;
                const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 60));
                const filled = Math.round(fraction * width);
                stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${describe(p, fraction)}\x1b[K`);
                drawn = true;
            }
            else {
                const decile = Math.floor(fraction * 10);
                if (decile === lastDecile)
                    return;
                lastDecile = decile;
                stream.write(`${label}: ${describe(p, fraction)}\n`);
            }
        },
        done() {
            if (tty && drawn)
                stream.write('\n');
        },
    };
}
function describe(p, fraction) {
    const seconds = p.elapsedMs / 1000;
    const rate = seconds > 0 ? p.rowsDone / seconds : 0;
    const eta = rate > 0 ? (p.rowsTotal - p.rowsDone) / rate : 0;
    return (`${(fraction * 100).toFixed(1).padStart(5)}%  ${count(p.rowsDone)}/${count(p.rowsTotal)} rows  ` +
        `part ${p.partsDone}/${p.partsTotal}  ${count(rate)} rows/s  ` +
        (p.rowsDone >= p.rowsTotal ? `${seconds.toFixed(1)}s` : `eta ${Math.ceil(eta)}s`));
}
function count(n) {
    if (n >= 1e6)
        return `${(n / 1e6).toFixed(2)}M`;
    if (n >= 1e3)
        return `${(n / 1e3).toFixed(1)}k`;
    return String(Math.round(n));
}
//# sourceMappingURL=progress-bar.js.map