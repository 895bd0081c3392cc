import { handleCommand } from '../src/members/handle-command.js';

export default handleCommand('tiktok', 'tiktok', 'tiktok#@budi.santoso');
