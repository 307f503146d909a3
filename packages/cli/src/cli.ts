#!/usr/bin/env node
// Entry of the `gorch` executable (bin/gorch.js imports the built copy of this file).
import { main } from './main';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
