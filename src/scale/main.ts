import { runModelCommand } from './cli.js';

/** `npm run model`: the scale model of docs/scale.md as a command. */
process.exitCode = runModelCommand(
  process.argv.slice(2),
  (text) => console.log(text),
  (text) => console.error(text),
);
