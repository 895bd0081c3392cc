import { dashboardStatusCommand } from '../src/clients/dashboard-command.js';

export default dashboardStatusCommand('denydash', false, 'Menolak akun dashboard (status nonaktif); sesi login-nya di chat berakhir.');
