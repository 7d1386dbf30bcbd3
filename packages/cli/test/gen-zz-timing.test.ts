it('times', async () => {
  const m = await import('../src/gen/index.js');
  const t = performance.now();
  await m.generateTable({ table: 'lineitem', sf: 0.01, outDir: '/tmp/gx/jt' }); console.log('run', performance.now() - t);
});
