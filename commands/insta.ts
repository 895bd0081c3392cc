import { handleCommand } from '../src/members/handle-command.js';

export default handleCommand('insta', 'instagram', 'insta#https://www.instagram.com/budi.santoso/');
