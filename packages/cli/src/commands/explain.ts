/** `pushdown explain "SQL"`: the plan, with each fragment's placement and the reason for it. */
import { Command, Option } from 'commander';
import { PLACEMENT_NAMES, type PlacementName } from '../client/options.js';
import { PushdownClient } from '../client/pushdown-client.js';
import { println, resolveAddress, type CliContext } from './context.js';
import { addClientOptions, type ClientFlags } from './shared-options.js';

interface ExplainFlags extends ClientFlags {
  placement: PlacementName;
}

export function explainCommand(ctx: CliContext): Command {
  const cmd = new Command('explain')
    .description('print the query plan with the placement of each fragment and why')
    .argument('<sql>', 'the SQL text (quote it)')
    .addOption(
      new Option('--placement <mode>', 'placement to plan for').choices(PLACEMENT_NAMES).default('auto'),
    );
  addClientOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Example:
  $ pushdown explain "SELECT sum(l_extendedprice * l_discount) FROM lineitem WHERE l_quantity < 24" --placement pushdown`,
  );
  cmd.action(async (sql: string, flags: ExplainFlags) => {
    const { address } = await resolveAddress(ctx, flags);
    const client = new PushdownClient(address);
    try {
      const text = await client.explain(sql, {
        placement: flags.placement,
        signal: ctx.signal,
        ...(flags.timeout ? { deadlineMs: flags.timeout } : {}),
      });
      println(ctx.stdout, text.trimEnd());
    } finally {
      client.close();
    }
  });
  return cmd;
}
