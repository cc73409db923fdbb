import * as core from '@actions/core';
import { post } from './action/post-step.js';

void post().catch((error: unknown) => core.warning(`post: ${String(error)}`));
