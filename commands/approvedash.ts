import { dashboardStatusCommand } from '../src/clients/dashboard-command.js';

export default dashboardStatusCommand('approvedash', true, 'Menyetujui akun dashboard (status aktif), sehingga dapat login.');
