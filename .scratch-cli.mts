import { main } from './src/cli.ts';

process.argv = [process.argv[0]!, 'agg', ...process.argv.slice(2)];
await main();
