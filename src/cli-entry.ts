import { main } from './cli/cli.js';

void main();
