// Texts of the console and the kiosk in Bahasa Indonesia (default) and English.
// Every entry is a pair [Indonesian, English]; `{name}` marks a value filled in by t().

const STORAGE_KEY = 'lintas.lang';
export const LANGUAGES = ['id', 'en'];

const STRINGS = {
  // Page frame
  'app.title': ['LINTAS — Konsol Kehadiran', 'LINTAS — Attendance Console'],
  'app.tagline': ['Kehadiran pengenalan wajah', 'Face-recognition attendance'],
  'app.skip': ['Lewati ke konten utama', 'Skip to main content'],
  'app.language': ['Bahasa', 'Language'],
  'app.signedInAs': ['Masuk sebagai {name} ({role})', 'Signed in as {name} ({role})'],
  'app.signOut': ['Keluar', 'Sign out'],
  'app.loading': ['Memuat…', 'Loading…'],
  'app.nav': ['Menu utama', 'Main menu'],
  'app.kioskAccount': [
    'Ini akun kios. Konsol untuk admin dan pegawai; akun kios memakai halaman kios.',
    'This is a kiosk account. The console is for admins and employees; kiosk accounts use the kiosk page.',
  ],
  'app.openKiosk': ['Buka halaman kios', 'Open the kiosk page'],
  'app.signedOut': ['Anda telah keluar.', 'You have signed out.'],

  'nav.employees': ['Pegawai', 'Employees'],
  'nav.board': ['Papan harian', 'Daily board'],
  'nav.recap': ['Rekap bulanan', 'Monthly recap'],
  'nav.requests': ['Pengajuan', 'Requests'],
  'nav.audit': ['Log audit', 'Audit log'],
  'nav.offices': ['Kantor', 'Offices'],
  'nav.calendars': ['Kalender libur', 'Holiday calendars'],
  'nav.shifts': ['Shift dan jadwal', 'Shifts and rosters'],
  'nav.rules': ['Aturan potongan', 'Deduction rules'],
  'nav.kiosk': ['Halaman kios', 'Kiosk page'],

  // Sign-in
  'signin.title': ['Masuk ke konsol', 'Sign in to the console'],
  'signin.again': ['Sesi berakhir — masuk lagi', 'Session ended — sign in again'],
  'signin.againHint': [
    'Pekerjaan Anda di layar ini tetap tersimpan; setelah masuk, permintaan tadi dikirim ulang.',
    'Your work on this screen is kept; after signing in, the last request is sent again.',
  ],
  'signin.login': ['ID pegawai atau e-mail', 'Employee id or e-mail'],
  'signin.password': ['Kata sandi', 'Password'],
  'signin.submit': ['Masuk', 'Sign in'],
  'signin.busy': ['Memeriksa…', 'Checking…'],
  'signin.cancel': ['Batal', 'Cancel'],

  // Common words
  'common.save': ['Simpan', 'Save'],
  'common.cancel': ['Batal', 'Cancel'],
  'common.close': ['Tutup', 'Close'],
  'common.delete': ['Hapus', 'Delete'],
  'common.edit': ['Ubah', 'Edit'],
  'common.refresh': ['Muat ulang', 'Reload'],
  'common.loadMore': ['Muat lebih banyak', 'Load more'],
  'common.actions': ['Tindakan', 'Actions'],
  'common.none': ['—', '—'],
  'common.show': ['Tampilkan', 'Show'],
  'common.optional': ['(opsional)', '(optional)'],
  'common.shown': ['{shown} dari {loaded} dimuat', '{shown} of {loaded} loaded'],
  'common.empty': ['Tidak ada data.', 'Nothing to show.'],
  'common.from': ['Dari tanggal', 'From'],
  'common.to': ['Sampai tanggal', 'To'],

  // Roles and statuses of accounts
  'role.admin': ['Admin', 'Admin'],
  'role.employee': ['Pegawai', 'Employee'],
  'role.kiosk': ['Kios', 'Kiosk'],
  'status.active': ['Aktif', 'Active'],
  'status.suspended': ['Ditangguhkan', 'Suspended'],

  // Employees
  'emp.title': ['Pegawai', 'Employees'],
  'emp.searchLabel': ['Cari nama, ID, NIP atau e-mail', 'Search name, id, staff number or e-mail'],
  'emp.new': ['Tambah pegawai', 'Add employee'],
  'emp.id': ['ID', 'Id'],
  'emp.idHint': ['1–64 huruf, angka, - atau _; dipakai untuk masuk.', '1–64 letters, digits, - or _; used to sign in.'],
  'emp.name': ['Nama', 'Name'],
  'emp.email': ['E-mail', 'E-mail'],
  'emp.staffNumber': ['NIP', 'Staff number'],
  'emp.role': ['Peran', 'Role'],
  'emp.office': ['Kantor', 'Office'],
  'emp.supervisor': ['ID atasan', 'Supervisor id'],
  'emp.status': ['Status', 'Status'],
  'emp.password': ['Kata sandi', 'Password'],
  'emp.passwordHint': [
    'Wajib untuk akun yang masuk (admin, kios): 10–72 karakter, tidak memuat ID.',
    'Needed for accounts that sign in (admin, kiosk): 10–72 characters, not containing the id.',
  ],
  'emp.passwordKeep': ['Kosongkan agar kata sandi tidak berubah.', 'Leave empty to keep the password.'],
  'emp.createTitle': ['Tambah pegawai', 'Add an employee'],
  'emp.editTitle': ['Ubah {name}', 'Edit {name}'],
  'emp.created': ['{name} ditambahkan.', '{name} was added.'],
  'emp.updated': ['{name} diperbarui.', '{name} was updated.'],
  'emp.faces': ['Wajah', 'Faces'],
  'emp.roster': ['Jadwal', 'Roster'],
  'emp.suspend': ['Tangguhkan', 'Suspend'],
  'emp.endSessions': ['Akhiri sesi', 'End sessions'],
  'emp.unpair': ['Putuskan tablet', 'Unpair tablet'],
  'emp.endSessionsTitle': ['Akhiri semua sesi {name}?', 'End every session of {name}?'],
  'emp.endSessionsIntro': [
    '{name} keluar dari semua perangkat (ponsel, konsol) dan harus masuk lagi.',
    '{name} is signed out on every device (phone, console) and must sign in again.',
  ],
  'emp.unpairIntro': [
    'Tablet yang dipasangkan ke {name} berhenti saat itu juga. Untuk memakainya lagi, admin memasangkannya kembali di halaman kios.',
    'The tablets paired with {name} stop at once. To use one again, an admin pairs it again on the kiosk page.',
  ],
  'emp.sessionsEnded': ['Semua sesi {name} berakhir.', 'Every session of {name} has ended.'],
  'emp.unsuspend': ['Aktifkan', 'Reactivate'],
  'emp.suspended': ['{name} ditangguhkan; sesinya berakhir.', '{name} is suspended; their sessions ended.'],
  'emp.unsuspended': ['{name} aktif kembali.', '{name} is active again.'],
  'emp.deleteTitle': ['Hapus {name}?', 'Delete {name}?'],
  'emp.deleteIntro': [
    'Data berikut milik {name} ({id}) akan dihapus permanen:',
    'This data of {name} ({id}) will be erased for good:',
  ],
  'emp.deleteTemplates': ['templat wajah dan foto pendaftaran', 'face templates and enrollment photos'],
  'emp.deleteAttendance': ['semua catatan kehadiran dan fotonya', 'every attendance record and its photo'],
  'emp.deleteRequests': ['pengajuan cuti/koreksi dan dokumennya', 'leave and correction requests and their documents'],
  'emp.deleteTokens': ['sesi masuk, lalu akunnya sendiri', 'sign-in sessions, then the account itself'],
  'emp.deleteWarn': ['Tindakan ini tidak dapat dibatalkan. Log audit tetap disimpan.', 'This cannot be undone. The audit log is kept.'],
  'emp.deleteConfirm': ['Hapus permanen', 'Erase for good'],
  'emp.deleted': ['{name} dan semua datanya telah dihapus.', '{name} and all their data were erased.'],
  'emp.count': ['{n} pegawai dimuat', '{n} employees loaded'],

  // Enrollment
  'enroll.title': ['Wajah {name}', 'Faces of {name}'],
  'enroll.back': ['Kembali ke daftar pegawai', 'Back to the employees'],
  'enroll.addTitle': ['Daftarkan foto', 'Enroll photos'],
  'enroll.files': ['Pilih foto (JPEG, PNG atau WebP; bisa beberapa)', 'Choose photos (JPEG, PNG or WebP; several at once)'],
  'enroll.printed': [
    'Foto cetak atau pindaian (pas foto): lewati pemeriksaan keaktifan',
    'Printed or scanned photos (ID photos): skip the liveness check',
  ],
  'enroll.camera': ['Ambil dari kamera', 'Take from the camera'],
  'enroll.cameraTitle': ['Ambil foto dari kamera', 'Take a photo with the camera'],
  'enroll.capture': ['Ambil foto', 'Take photo'],
  'enroll.cameraError': ['Kamera tidak dapat dibuka: {reason}', 'The camera could not be opened: {reason}'],
  'enroll.captured': ['Foto kamera {n}', 'Camera photo {n}'],
  'enroll.send': ['Kirim foto', 'Send photos'],
  'enroll.nothing': ['Pilih atau ambil foto terlebih dahulu.', 'Choose or take a photo first.'],
  'enroll.sending': ['Mengirim {file}…', 'Sending {file}…'],
  'enroll.resultsTitle': ['Hasil pengiriman', 'Results'],
  'enroll.accepted': ['Diterima', 'Accepted'],
  'enroll.acceptedDetail': ['templat {id} dibuat', 'template {id} created'],
  'enroll.rejected': ['Ditolak', 'Refused'],
  'enroll.flagged': ['Ditahan untuk diperiksa', 'Held for review'],
  'enroll.flaggedDetail': [
    'Wajah ini mirip dengan pegawai {other} (skor {score}). Apakah orang yang sama?',
    'This face looks like employee {other} (score {score}). Is it the same person?',
  ],
  'enroll.samePerson': ['Orang yang sama (tolak foto)', 'Same person (refuse the photo)'],
  'enroll.differentPeople': ['Orang berbeda (daftarkan)', 'Different people (enroll)'],
  'enroll.resolved': ['Keputusan disimpan: {status}.', 'Decision saved: {status}.'],
  'enroll.summary': ['{accepted} diterima, {refused} ditolak, {flagged} ditahan.', '{accepted} accepted, {refused} refused, {flagged} held.'],
  'enroll.templatesTitle': ['Templat terdaftar', 'Enrolled templates'],
  'enroll.templateId': ['Templat', 'Template'],
  'enroll.created': ['Didaftarkan', 'Enrolled'],
  'enroll.faceWidth': ['Lebar wajah (px)', 'Face width (px)'],
  'enroll.sharpness': ['Ketajaman', 'Sharpness'],
  'enroll.noTemplates': [
    'Belum ada wajah terdaftar: pegawai ini belum bisa absen dengan wajah.',
    'No face enrolled yet: this employee cannot punch with their face.',
  ],
  'enroll.deleteTemplateTitle': ['Hapus templat {id}?', 'Delete template {id}?'],
  'enroll.deleteTemplateBody': ['Templat dan foto pendaftarannya dihapus.', 'The template and its enrollment photo are deleted.'],
  'enroll.templateDeleted': ['Templat dihapus.', 'Template deleted.'],
  'enroll.remove': ['Buang {file} dari daftar', 'Remove {file} from the list'],

  // Daily board
  'board.title': ['Papan harian', 'Daily board'],
  'board.office': ['Kantor', 'Office'],
  'board.officeHint': ['ID kantor; kosongkan untuk kantor Anda sendiri.', 'An office id; leave empty for your own office.'],
  'board.day': ['Tanggal', 'Day'],
  'board.asOf': ['{office}, {day} — per {time}', '{office}, {day} — as of {time}'],
  'board.checkIn': ['Absen masuk', 'Check-in'],
  'board.checkOut': ['Absen pulang', 'Check-out'],
  'board.plannedStart': ['Jadwal mulai', 'Planned start'],
  'board.shift': ['Shift', 'Shift'],
  'board.summary': ['Ringkasan', 'Summary'],
  'board.status.in': ['Hadir', 'In'],
  'board.status.late': ['Terlambat', 'Late'],
  'board.status.not_yet_in': ['Belum hadir', 'Not yet in'],
  'board.status.gone': ['Sudah pulang', 'Gone home'],
  'board.status.on_leave': ['Cuti / izin / sakit / dinas', 'On leave / excused / sick / duty'],
  'board.status.absent': ['Tidak hadir (TK)', 'Absent'],
  'board.status.night_shift': ['Shift malam', 'Night shift'],
  'board.status.off': ['Libur', 'Off'],

  // Monthly recap
  'recap.title': ['Rekap bulanan', 'Monthly recap'],
  'recap.month': ['Bulan', 'Month'],
  'recap.downloads': ['Unduh', 'Download'],
  'recap.csv': ['CSV rekap', 'Recap CSV'],
  'recap.csvDays': ['CSV harian', 'Days CSV'],
  'recap.xlsx': ['Excel (XLSX)', 'Excel (XLSX)'],
  'recap.downloaded': ['{file} diunduh.', '{file} downloaded.'],
  'recap.chartTitle': ['Keterlambatan per hari', 'Lateness per day'],
  'recap.chartDesc': [
    'Jumlah pegawai terlambat tiap tanggal di bulan {month}; total {total} hari-terlambat.',
    'Employees late on each date of {month}; {total} late days in all.',
  ],
  'recap.chartBar': ['{date}: {n} terlambat, {minutes} menit', '{date}: {n} late, {minutes} minutes'],
  'recap.workingDays': ['Hari kerja', 'Working days'],
  'recap.present': ['Hadir', 'Present'],
  'recap.lateMinutes': ['Menit terlambat', 'Minutes late'],
  'recap.earlyMinutes': ['Menit pulang cepat', 'Minutes early'],
  'recap.absent': ['TK', 'Absent (TK)'],
  'recap.leave': ['Cuti/izin/sakit/dinas', 'Leave/excused/sick/duty'],
  'recap.deduction': ['Potongan (%)', 'Deduction (%)'],
  'recap.tlHelp': [
    'TL = terlambat, PSW = pulang sebelum waktunya, TK = tanpa keterangan.',
    'TL = late, PSW = left early, TK = absent without notice.',
  ],
  'recap.rows': ['{n} pegawai', '{n} employees'],

  // Requests
  'req.title': ['Pengajuan', 'Requests'],
  'req.waitingTitle': ['Menunggu keputusan Anda', 'Waiting for your decision'],
  'req.mineTitle': ['Pengajuan saya', 'My requests'],
  'req.new': ['Ajukan cuti atau koreksi', 'File leave or a correction'],
  'req.newTitle': ['Ajukan cuti atau koreksi', 'File leave or a correction'],
  'req.submit': ['Ajukan', 'File'],
  'req.for': ['Untuk pegawai (ID)', 'For employee (id)'],
  'req.forHint': [
    'Kosongkan untuk diri sendiri. Pengajuan admin untuk pegawai lain langsung disetujui.',
    'Leave empty for yourself. An admin\'s request for another employee is approved at once.',
  ],
  'req.toHint': ['Kosongkan untuk satu hari.', 'Leave empty for one day.'],
  'req.at': ['Waktu absen yang terlewat', 'Time of the missed punch'],
  'req.atHint': ['Waktu setempat perangkat ini; tidak boleh di masa depan.', 'This device\'s local time; not in the future.'],
  'req.referenceHint': ['Misalnya nomor surat tugas atau surat dokter.', 'E.g. an assignment or doctor\'s letter number.'],
  'req.filedOk': ['Pengajuan {kind} dikirim dan menunggu keputusan.', 'The {kind} request was filed and waits for a decision.'],
  'req.filedFor': ['Pengajuan {kind} untuk {name} dicatat dan langsung disetujui.', 'The {kind} request for {name} was recorded and approved at once.'],
  'req.status': ['Status', 'Status'],
  'req.status.pending': ['Menunggu', 'Pending'],
  'req.status.approved': ['Disetujui', 'Approved'],
  'req.status.rejected': ['Ditolak', 'Rejected'],
  'req.status.cancelled': ['Ditarik', 'Withdrawn'],
  'req.note': ['Catatan', 'Note'],
  'req.cancel': ['Tarik', 'Withdraw'],
  'req.cancelTitle': ['Tarik pengajuan {kind} ({when})?', 'Withdraw the {kind} request ({when})?'],
  'req.cancelBody': [
    'Pengajuan ini tidak akan diputuskan; hari-harinya bebas untuk pengajuan lain.',
    'It will not be decided; its days are free for another request.',
  ],
  'req.cancelled': ['Pengajuan ditarik.', 'Request withdrawn.'],
  'req.noneMine': ['Anda belum mengajukan apa pun.', 'You have filed no request.'],
  'req.employee': ['Pegawai', 'Employee'],
  'req.kind': ['Jenis', 'Kind'],
  'req.when': ['Tanggal / waktu', 'Date / time'],
  'req.reason': ['Alasan', 'Reason'],
  'req.reference': ['Nomor surat', 'Reference'],
  'req.filed': ['Diajukan', 'Filed'],
  'req.document': ['Dokumen', 'Document'],
  'req.openDocument': ['Buka dokumen', 'Open document'],
  'req.approve': ['Setujui', 'Approve'],
  'req.reject': ['Tolak', 'Reject'],
  'req.rejectTitle': ['Tolak pengajuan {kind} dari {name}', 'Reject the {kind} request of {name}'],
  'req.rejectReason': ['Alasan penolakan', 'Reason for the rejection'],
  'req.approved': ['Pengajuan disetujui.', 'Request approved.'],
  'req.rejected': ['Pengajuan ditolak.', 'Request rejected.'],
  'req.none': ['Tidak ada pengajuan yang menunggu.', 'No request is waiting.'],
  'req.kind.leave': ['Cuti', 'Leave'],
  'req.kind.excused': ['Izin', 'Excused absence'],
  'req.kind.sick': ['Sakit', 'Sick'],
  'req.kind.official_duty': ['Dinas luar', 'Official duty'],
  'req.kind.missed_check_in': ['Lupa absen masuk', 'Missed check-in'],
  'req.kind.missed_check_out': ['Lupa absen pulang', 'Missed check-out'],
  'req.kind.other_correction': ['Koreksi absen lainnya', 'Other punch correction'],

  // Holiday calendars
  'cal.title': ['Kalender libur', 'Holiday calendars'],
  'cal.id': ['ID kalender', 'Calendar id'],
  'cal.idHint': [
    'default: kalender semua kantor; atau ID kalender sendiri sebuah kantor (lihat Kantor).',
    'default: the calendar of every office; or the id of an office\'s own calendar (see Offices).',
  ],
  'cal.year': ['Tahun', 'Year'],
  'cal.open': ['Buka', 'Open'],
  'cal.holidays': ['Hari libur', 'Holidays'],
  'cal.holidaysOf': ['Hari libur {calendar} tahun {year}', 'Holidays of {calendar} in {year}'],
  'cal.addHoliday': ['Tambah hari libur', 'Add a holiday'],
  'cal.addHolidayTitle': ['Tambah hari libur ke {calendar}', 'Add a holiday to {calendar}'],
  'cal.editHoliday': ['Ubah {name}', 'Edit {name}'],
  'cal.date': ['Tanggal', 'Date'],
  'cal.dateHint': ['Hari libur lain pada tanggal ini diganti.', 'Another holiday on this date is replaced.'],
  'cal.name': ['Nama', 'Name'],
  'cal.kind': ['Jenis', 'Kind'],
  'cal.kind.national': ['Libur nasional', 'National holiday'],
  'cal.kind.collective_leave': ['Cuti bersama', 'Collective leave'],
  'cal.kind.local': ['Libur daerah', 'Local holiday'],
  'cal.noHolidays': ['Tidak ada hari libur di tahun ini.', 'No holiday in this year.'],
  'cal.holidaySaved': ['{name} ({date}) disimpan.', '{name} ({date}) was saved.'],
  'cal.import': ['Impor CSV', 'Import CSV'],
  'cal.importTitle': ['Impor hari libur ke {calendar}', 'Import holidays into {calendar}'],
  'cal.importSubmit': ['Impor', 'Import'],
  'cal.csv': ['Baris CSV: tanggal,nama,jenis', 'CSV lines: date,name,kind'],
  'cal.csvHint': [
    'Satu hari libur per baris; jenis: national, collective_leave atau local. Baris judul dilewati. Paling banyak 400 baris; semua diperiksa sebelum ada yang disimpan.',
    'One holiday a line; kind: national, collective_leave or local. A header line is skipped. At most 400 lines; all are checked before any is stored.',
  ],
  'cal.imported': ['{n} hari libur diimpor.', '{n} holidays imported.'],
  'cal.periods': ['Periode khusus', 'Special periods'],
  'cal.periodsHint': [
    'Rentang tanggal dengan jam kerja lain (misalnya Ramadan): jadwalnya menggantikan minggu kerja kantor pada hari-hari itu.',
    'Date ranges with other working hours (e.g. Ramadan): their week replaces the office\'s on those days.',
  ],
  'cal.addPeriod': ['Tambah periode khusus', 'Add a special period'],
  'cal.addPeriodTitle': ['Tambah periode khusus ke {calendar}', 'Add a special period to {calendar}'],
  'cal.editPeriod': ['Ubah {name}', 'Edit {name}'],
  'cal.periodId': ['ID periode', 'Period id'],
  'cal.periodIdHint': ['1–64 huruf, angka, - atau _; periode dengan ID yang sama diganti.', '1–64 letters, digits, - or _; a period with the same id is replaced.'],
  'cal.dates': ['Tanggal', 'Dates'],
  'cal.noPeriods': ['Tidak ada periode khusus.', 'No special period.'],
  'cal.periodSaved': ['Periode {name} disimpan.', 'The period {name} was saved.'],
  'cal.deleteTitle': ['Hapus {what}?', 'Delete {what}?'],
  'cal.deleted': ['{what} dihapus.', '{what} was deleted.'],

  // Shifts and rosters
  'shift.title': ['Shift dan jadwal', 'Shifts and rosters'],
  'shift.listTitle': ['Shift', 'Shifts'],
  'shift.intro': [
    'Shift dipakai di jadwal pegawai; shift yang berakhir pada atau sebelum jam mulainya selesai keesokan harinya (22:00–07:00).',
    'Shifts are used in employees\' rosters; a shift that ends at or before its start ends the next day (22:00–07:00).',
  ],
  'shift.add': ['Tambah shift', 'Add a shift'],
  'shift.addTitle': ['Tambah shift', 'Add a shift'],
  'shift.editTitle': ['Ubah {name}', 'Edit {name}'],
  'shift.id': ['ID shift', 'Shift id'],
  'shift.idHint': ['1–64 huruf, angka, - atau _; shift dengan ID yang sama diganti.', '1–64 letters, digits, - or _; a shift with the same id is replaced.'],
  'shift.name': ['Nama shift', 'Shift name'],
  'shift.hours': ['Jam', 'Hours'],
  'shift.windows': ['Jendela absen', 'Punch windows'],
  'shift.windowsText': ['masuk {earliest} menit sebelum, pulang {latest} menit sesudah', 'in {earliest} min before, out {latest} min after'],
  'shift.endHint': ['Pada atau sebelum jam masuk: selesai keesokan harinya.', 'At or before the start: ends the next day.'],
  'shift.nextDay': ['(+1 hari)', '(+1 day)'],
  'shift.none': ['Belum ada shift.', 'No shift yet.'],
  'shift.saved': ['{name} disimpan.', '{name} was saved.'],
  'shift.deleteTitle': ['Hapus {name}?', 'Delete {name}?'],
  'shift.deleteBody': ['Hari-hari jadwal yang memakai shift ini menjadi hari libur.', 'Roster days that use this shift become days off.'],
  'shift.deleted': ['{name} dihapus.', '{name} was deleted.'],
  'roster.openTitle': ['Jadwal pegawai', 'An employee\'s roster'],
  'roster.openHint': ['Buka jadwal seorang pegawai, atau pakai tombol Jadwal di daftar pegawai.', 'Open an employee\'s roster, or use the Roster button in the employee list.'],
  'roster.employee': ['ID pegawai', 'Employee id'],
  'roster.open': ['Buka jadwal', 'Open roster'],
  'roster.title': ['Jadwal {name}', 'Roster of {name}'],
  'roster.back': ['Kembali ke shift', 'Back to the shifts'],
  'roster.intro': [
    'Pada hari-hari jadwal, shiftnya (atau hari libur) menggantikan minggu kerja kantor dan hari libur kalender.',
    'On roster days, the shift (or the day off) takes the place of the office\'s week and the calendar\'s holidays.',
  ],
  'roster.tableTitle': ['Jadwal', 'Roster'],
  'roster.shift': ['Shift', 'Shift'],
  'roster.shiftHint': ['Tanggal yang sudah ada di jadwal lain pegawai ini ditolak.', 'Days already in another entry of this employee are refused.'],
  'roster.daysOff': ['Libur (tanpa shift)', 'Days off (no shift)'],
  'roster.add': ['Tambah jadwal', 'Add an entry'],
  'roster.addTitle': ['Tambah jadwal {name}', 'Add to the roster of {name}'],
  'roster.addSubmit': ['Tambah', 'Add'],
  'roster.added': ['Jadwal ditambahkan.', 'Roster entry added.'],
  'roster.none': ['Belum ada jadwal: minggu kerja kantor yang berlaku.', 'No entry: the office\'s week applies.'],
  'roster.deleteTitle': ['Hapus jadwal {what}?', 'Delete the entry {what}?'],
  'roster.deleted': ['Jadwal dihapus.', 'Roster entry deleted.'],

  // Attendance rules
  'rules.title': ['Aturan potongan', 'Deduction rules'],
  'rules.intro': [
    'Potongan tunjangan (TPP) per hari menurut lama terlambat (TL) atau pulang cepat (PSW). Rekap bulanan, juga bulan lalu, dihitung dengan aturan yang berlaku.',
    'The allowance (TPP) cut per day by how late (TL) or how early (PSW). Monthly recaps, past months too, are computed with the rules in force.',
  ],
  'rules.formTitle': ['Aturan yang berlaku', 'Rules in force'],
  'rules.limits': ['Batas kelompok (menit)', 'Bucket limits (minutes)'],
  'rules.limitOf': ['Kelompok {n} sampai', 'Bucket {n} up to'],
  'rules.tableTitle': ['Potongan per hari (%)', 'Deduction per day (%)'],
  'rules.bucket': ['Kelompok', 'Bucket'],
  'rules.minutes': ['Menit', 'Minutes'],
  'rules.range': ['{from}–{to}', '{from}–{to}'],
  'rules.rangeFirst': ['1–{to}', '1–{to}'],
  'rules.rangeLast': ['lebih dari {from}', 'over {from}'],
  'rules.late': ['Terlambat (%)', 'Late (%)'],
  'rules.early': ['Pulang cepat (%)', 'Left early (%)'],
  'rules.lateOf': ['Potongan TL{n} (%)', 'TL{n} deduction (%)'],
  'rules.earlyOf': ['Potongan PSW{n} (%)', 'PSW{n} deduction (%)'],
  'rules.absent': ['Potongan TK per hari (%)', 'Deduction per day absent, TK (%)'],
  'rules.noCheckIn': ['Tanpa absen masuk dihitung', 'A day without check-in counts as'],
  'rules.noCheckOut': ['Tanpa absen pulang dihitung', 'A day without check-out counts as'],
  'rules.cap': ['Potongan maksimal sebulan (%)', 'Most deduction in a month (%)'],
  'rules.leave': ['Potongan per hari cuti, izin, sakit, dinas (%)', 'Deduction per day of leave, excused, sick, duty (%)'],
  'rules.saved': ['Aturan potongan disimpan.', 'The deduction rules were saved.'],
  'rules.reset': ['Kembalikan bawaan', 'Restore the defaults'],
  'rules.resetTitle': ['Kembalikan aturan bawaan?', 'Restore the default rules?'],
  'rules.resetBody': [
    'TL/PSW 1–30, 31–60, 61–90, lebih dari 90 menit: 0,5 %, 1 %, 1,25 %, 1,5 %; TK 3 %; tanpa potongan cuti; batas 100 %.',
    'TL/PSW 1–30, 31–60, 61–90, over 90 minutes: 0.5 %, 1 %, 1.25 %, 1.5 %; TK 3 %; no leave deduction; cap 100 %.',
  ],
  'rules.resetDone': ['Aturan bawaan berlaku lagi.', 'The default rules apply again.'],

  // Audit log
  'audit.title': ['Log audit', 'Audit log'],
  'audit.at': ['Waktu', 'Time'],
  'audit.actor': ['Pelaku', 'Actor'],
  'audit.action': ['Tindakan', 'Action'],
  'audit.subject': ['Subjek', 'Subject'],
  'audit.detail': ['Rincian', 'Detail'],
  'audit.filterActor': ['Saring pelaku', 'Filter by actor'],
  'audit.filterAction': ['Saring tindakan', 'Filter by action'],
  'audit.filterSubject': ['Saring subjek', 'Filter by subject'],

  // Working hours (offices, special periods, shifts)
  'schedule.title': ['Jam kerja', 'Working hours'],
  'schedule.start': ['Jam masuk', 'Start'],
  'schedule.end': ['Jam pulang', 'End'],
  'schedule.endHint': ['Setelah jam masuk; kerja malam memakai shift.', 'After the start; night work uses shifts.'],
  'schedule.grace': ['Toleransi terlambat (menit)', 'Grace period (minutes)'],
  'schedule.graceHint': ['Absen masuk dalam toleransi ini tidak dihitung terlambat.', 'A check-in within this period is not late.'],
  'schedule.weekdays': ['Hari kerja', 'Working days'],
  'schedule.day.1': ['Senin', 'Monday'],
  'schedule.day.2': ['Selasa', 'Tuesday'],
  'schedule.day.3': ['Rabu', 'Wednesday'],
  'schedule.day.4': ['Kamis', 'Thursday'],
  'schedule.day.5': ['Jumat', 'Friday'],
  'schedule.day.6': ['Sabtu', 'Saturday'],
  'schedule.day.7': ['Minggu', 'Sunday'],
  'schedule.dayShort.1': ['Sen', 'Mon'],
  'schedule.dayShort.2': ['Sel', 'Tue'],
  'schedule.dayShort.3': ['Rab', 'Wed'],
  'schedule.dayShort.4': ['Kam', 'Thu'],
  'schedule.dayShort.5': ['Jum', 'Fri'],
  'schedule.dayShort.6': ['Sab', 'Sat'],
  'schedule.dayShort.7': ['Min', 'Sun'],
  'schedule.earliest': ['Absen masuk paling awal (menit sebelum jam masuk)', 'Earliest check-in (minutes before the start)'],
  'schedule.latest': ['Absen pulang paling akhir (menit setelah jam pulang)', 'Latest check-out (minutes after the end)'],
  'schedule.windowHint': ['0–{max} menit.', '0–{max} minutes.'],

  // Offices
  'office.title': ['Pengaturan kantor', 'Office settings'],
  'office.id': ['ID kantor', 'Office id'],
  'office.idHint': [
    '1–64 huruf, angka, - atau _. ID baru membuat kantor baru saat disimpan.',
    '1–64 letters, digits, - or _. A new id creates a new office when saved.',
  ],
  'office.open': ['Buka', 'Open'],
  'office.editTitle': ['{name} ({id})', '{name} ({id})'],
  'office.newTitle': ['Kantor baru: {id}', 'New office: {id}'],
  'office.newHint': [
    'Kantor ini belum ada. Isi pengaturannya lalu simpan untuk membuatnya.',
    'This office does not exist yet. Fill in its settings, then save to create it.',
  ],
  'office.name': ['Nama kantor', 'Office name'],
  'office.zone': ['Zona waktu', 'Time zone'],
  'office.zone.Asia/Jakarta': ['WIB — Asia/Jakarta', 'WIB — Asia/Jakarta'],
  'office.zone.Asia/Makassar': ['WITA — Asia/Makassar', 'WITA — Asia/Makassar'],
  'office.zone.Asia/Jayapura': ['WIT — Asia/Jayapura', 'WIT — Asia/Jayapura'],
  'office.zoneOther': ['Zona lain…', 'Another zone…'],
  'office.zoneName': ['Nama zona waktu IANA', 'IANA time zone name'],
  'office.zoneNameHint': ['Misalnya Asia/Pontianak.', 'For example Asia/Pontianak.'],
  'office.otherHours': ['Jam lain yang tetap berlaku: {hours}.', 'Other hours, kept as they are: {hours}.'],
  'office.geofence': ['Area absen (geofence)', 'Punch area (geofence)'],
  'office.noGeofence': ['Tanpa geofence: absen dari ponsel diterima di mana saja', 'No geofence: phone punches are accepted anywhere'],
  'office.withGeofence': ['Hanya di dalam lingkaran di sekitar kantor', 'Only inside a circle around the office'],
  'office.latitude': ['Lintang pusat (derajat)', 'Centre latitude (degrees)'],
  'office.latitudeHint': ['−90 sampai 90; contoh -6.1754.', '−90 to 90; e.g. -6.1754.'],
  'office.longitude': ['Bujur pusat (derajat)', 'Centre longitude (degrees)'],
  'office.longitudeHint': ['−180 sampai 180; contoh 106.8272.', '−180 to 180; e.g. 106.8272.'],
  'office.radius': ['Jari-jari (meter)', 'Radius (metres)'],
  'office.radiusHint': ['Lebih dari 0, paling besar {max} meter.', 'More than 0, at most {max} metres.'],
  'office.challenge': ['Tantangan keaktifan (gerakan kepala)', 'Liveness challenge (head poses)'],
  'office.challengePhone': ['Wajib untuk absen dari ponsel', 'Required for phone punches'],
  'office.challengeKiosk': ['Wajib untuk absen di kios', 'Required for kiosk punches'],
  'office.calendar': ['Kalender sendiri', 'Own calendar'],
  'office.calendarHint': [
    'ID kalender libur kantor ini, di samping kalender bawaan. Kosongkan untuk kalender bawaan saja.',
    'The id of this office\'s holiday calendar, on top of the default one. Leave empty for the default only.',
  ],
  'office.create': ['Buat kantor', 'Create office'],
  'office.saved': ['Pengaturan {name} disimpan.', 'The settings of {name} were saved.'],
  'office.created': ['Kantor {name} dibuat.', 'The office {name} was created.'],

  // Kiosk
  'kiosk.title': ['LINTAS — Kios Absensi', 'LINTAS — Attendance Kiosk'],
  'kiosk.signinTitle': ['Masuk dengan akun kios', 'Sign in with a kiosk account'],
  'kiosk.notKiosk': [
    'Akun ini bukan akun kios atau admin. Admin masuk di sini untuk memasangkan tablet ke akun kios.',
    'This is not a kiosk or admin account. An admin signs in here to pair the tablet with a kiosk account.',
  ],
  'kiosk.signinHint': [
    'Admin: masuk dengan akun Anda, lalu pilih akun kios untuk tablet ini. Tablet tidak perlu kata sandi sendiri.',
    'Admins: sign in with your account, then pick the kiosk account for this tablet. The tablet needs no password of its own.',
  ],
  'kiosk.pairTitle': ['Jadikan tablet ini kios', 'Make this tablet a kiosk'],
  'kiosk.pairHint': [
    'Pilih akun kios. Sesi admin Anda di tablet ini berakhir; tablet tetap masuk sebagai kios sampai sesinya diakhiri di konsol.',
    'Pick the kiosk account. Your admin session on this tablet ends; the tablet stays signed in as the kiosk until its sessions are ended in the console.',
  ],
  'kiosk.noKiosks': [
    'Belum ada akun kios aktif. Buat pegawai berperan Kios di konsol (tanpa kata sandi), lalu kembali ke sini.',
    'There is no active kiosk account yet. Create an employee with the Kiosk role in the console (no password needed), then come back.',
  ],
  'kiosk.pairAccount': ['Akun kios', 'Kiosk account'],
  'kiosk.pair': ['Pasangkan tablet', 'Pair this tablet'],
  'kiosk.tryAsAdmin': ['Coba sebagai admin', 'Try it as the admin'],
  'kiosk.preview': ['Pratinjau kamera', 'Camera preview'],
  'kiosk.punch': ['Absen', 'Check in/out'],
  'kiosk.ready': ['Lihat ke kamera, lalu tekan Absen.', 'Look at the camera, then press the button.'],
  'kiosk.readyAuto': [
    'Lihat ke kamera dan diam sebentar, atau tekan Absen.',
    'Look at the camera and hold still for a moment, or press the button.',
  ],
  'kiosk.auto': ['Ambil foto otomatis saat gambar diam', 'Take the photo by itself when the picture is still'],
  'kiosk.challengeStep': ['Pemeriksaan keaktifan: langkah {n} dari {total}', 'Liveness check: step {n} of {total}'],
  'kiosk.pose.frontal': ['Lihat lurus ke kamera', 'Look straight at the camera'],
  'kiosk.pose.left': ['Tolehkan kepala ke KIRI Anda', 'Turn your head to YOUR LEFT'],
  'kiosk.pose.right': ['Tolehkan kepala ke KANAN Anda', 'Turn your head to YOUR RIGHT'],
  'kiosk.poseHint.frontal': ['Wajah menghadap lurus ke layar.', 'Face the screen straight on.'],
  'kiosk.poseHint.left': [
    'Seperti bercermin: wajah Anda di layar menoleh ke sisi kiri layar.',
    'As in a mirror: your face on the screen turns towards the left side of the screen.',
  ],
  'kiosk.poseHint.right': [
    'Seperti bercermin: wajah Anda di layar menoleh ke sisi kanan layar.',
    'As in a mirror: your face on the screen turns towards the right side of the screen.',
  ],
  'kiosk.countdown': ['Foto dalam {n}…', 'Photo in {n}…'],
  'kiosk.starting': ['Menyalakan kamera…', 'Starting the camera…'],
  'kiosk.cameraError': [
    'Kamera tidak dapat dibuka ({reason}). Izinkan akses kamera lalu muat ulang halaman.',
    'The camera could not be opened ({reason}). Allow camera access, then reload the page.',
  ],
  'kiosk.checking': ['Memeriksa wajah…', 'Checking your face…'],
  'kiosk.checkIn': ['Absen masuk tercatat', 'Check-in recorded'],
  'kiosk.checkOut': ['Absen pulang tercatat', 'Check-out recorded'],
  'kiosk.repeated': ['Sudah tercatat sebelumnya — tidak dicatat dua kali.', 'Already recorded — not counted twice.'],
  'kiosk.late': ['Terlambat {n} menit', '{n} minutes late'],
  'kiosk.onTime': ['Tepat waktu', 'On time'],
  'kiosk.at': ['Pukul {time}', 'At {time}'],
  'kiosk.confirmQuestion': ['Apakah Anda {name}?', 'Are you {name}?'],
  'kiosk.confirmYes': ['Ya, saya {name}', 'Yes, I am {name}'],
  'kiosk.confirmNo': ['Bukan saya', 'Not me'],
  'kiosk.claimTitle': ['Absen dengan ID pegawai', 'Punch with your employee id'],
  'kiosk.claimLabel': ['ID pegawai Anda', 'Your employee id'],
  'kiosk.claimSubmit': ['Absen dengan ID ini', 'Punch with this id'],
  'kiosk.claim': ['Pakai ID pegawai', 'Use my employee id'],
  'kiosk.retry': ['Silakan coba lagi.', 'Please try again.'],
  'kiosk.waitSeconds': ['Coba lagi dalam {n} detik.', 'Try again in {n} seconds.'],
  'kiosk.waitMinutes': ['Coba lagi dalam {n} menit.', 'Try again in {n} minutes.'],
  'kiosk.signOutConfirm': ['Keluarkan akun kios dari perangkat ini?', 'Sign the kiosk account out of this device?'],
  'kiosk.clock': ['Jam sekarang', 'Current time'],

  // Errors without a server code
  'error.network': ['Server tidak dapat dihubungi. Periksa jaringan lalu coba lagi.', 'The server cannot be reached. Check the network and try again.'],
  'error.unknown': ['Terjadi kesalahan ({status}).', 'Something went wrong ({status}).'],
  'error.retryAfter': ['Coba lagi setelah {n} detik.', 'Try again after {n} seconds.'],
};

// Every error code of the API (docs/API.md, shared/http/src/codes.rs) in plain words.
const CODES = {
  invalid_json: ['Isian formulir tidak sesuai format yang diharapkan.', 'The form data is not in the expected shape.'],
  invalid_query: ['Parameter pencarian tidak lengkap atau salah.', 'A search parameter is missing or wrong.'],
  invalid_body: ['Data yang dikirim tidak dapat dibaca.', 'The data sent could not be read.'],
  invalid_id: ['ID harus 1–64 huruf, angka, - atau _.', 'An id must be 1–64 letters, digits, - or _.'],
  invalid_multipart: ['Formulir unggahan rusak.', 'The upload form is malformed.'],
  not_a_kiosk: ['Akun ini bukan akun kios.', 'This account is not a kiosk account.'],
  unknown_field: ['Formulir memuat isian yang tidak dikenal.', 'The form has a field this action does not take.'],
  invalid_base64: ['Foto tidak terkirim dengan benar.', 'A photo was not sent correctly.'],
  invalid_photo_count: ['Jumlah foto dalam satu kiriman terlalu sedikit atau terlalu banyak.', 'Too few or too many photos in one request.'],
  weak_password: [
    'Kata sandi terlalu lemah: 10–72 karakter, minimal 4 karakter berbeda, bukan hanya angka, bukan kata sandi umum, dan tidak memuat ID.',
    'The password is too weak: 10–72 characters, at least 4 different ones, not only digits, not a common password, not containing the id.',
  ],
  invalid_email: ['Alamat e-mail tidak valid.', 'The e-mail address is not valid.'],
  invalid_name: ['Nama kosong, terlalu panjang, atau memuat karakter kontrol.', 'The name is empty, too long or has control characters.'],
  invalid_staff_number: ['NIP tidak valid.', 'The staff number is not valid.'],
  invalid_on_roll: ['Akun kios tidak bisa masuk daftar hadir.', 'A kiosk account cannot be on the attendance roll.'],
  invalid_office: ['Pengaturan kantor tidak konsisten.', 'The office settings are inconsistent.'],
  invalid_month: ['Bulan harus berformat TTTT-BB.', 'The month must be YYYY-MM.'],
  invalid_calendar: ['Hari libur atau periode khusus tidak valid.', 'A holiday or special period is not valid.'],
  invalid_schedule: ['Jadwal kerja tidak valid.', 'The work schedule is not valid.'],
  invalid_shift: ['Shift tidak valid.', 'The shift is not valid.'],
  overlapping_assignment: ['Jadwal bertumpuk dengan jadwal lain pegawai ini.', 'The roster entry overlaps another one of this employee.'],
  invalid_rules: ['Aturan potongan tidak valid.', 'The deduction rules are not valid.'],
  invalid_date_range: ['Rentang tanggal terbalik atau terlalu panjang.', 'The date range is reversed or too long.'],
  invalid_idempotency_key: ['Kunci pengiriman ulang tidak valid.', 'The retry key is not valid.'],
  invalid_device: ['ID perangkat tidak valid.', 'The device id is not valid.'],
  location_required: ['Kantor ini mewajibkan lokasi perangkat.', 'This office requires the device location.'],
  invalid_location: ['Lokasi di luar jangkauan yang sah.', 'The location is out of range.'],
  invalid_upload_key: ['Unggahan ini bukan milik pengajuan atau pendaftaran ini.', 'The upload does not belong to this request or enrollment.'],
  invalid_request: ['Permintaan tidak dapat diproses seperti ini.', 'The request cannot be processed as given.'],
  claim_required: ['Kios ini memerlukan ID pegawai: ketik ID Anda.', 'This kiosk needs your employee id: type it in.'],
  invalid_confirmation: ['Konfirmasi tidak sah. Ambil foto lagi.', 'The confirmation is not valid. Take the photo again.'],
  confirmation_photo_mismatch: ['Foto konfirmasi berbeda dengan foto semula. Ambil foto lagi.', 'The confirmation photo is not the original one. Take the photo again.'],
  invalid_look_alike: ['Pegawai tidak bisa menjadi kembaran dirinya sendiri.', 'An employee cannot be their own look-alike.'],
  invalid_attendance_request: ['Isian pengajuan tidak valid.', 'The request is not valid.'],
  request_too_long: ['Pengajuan mencakup terlalu banyak hari.', 'The request covers too many days.'],
  correction_in_future: ['Waktu koreksi tidak boleh di masa depan.', 'A correction cannot be in the future.'],
  invalid_supervisor: ['Atasan tidak valid: bukan dirinya sendiri, bukan kios, dan harus pegawai aktif.', 'The supervisor is not valid: not the employee, not a kiosk, an active employee.'],
  invalid_admin_offices: ['Kantor admin hanya untuk akun admin dan harus menyebut kantor.', 'Admin offices are for admin accounts only and must name an office.'],
  missing_token: ['Anda belum masuk.', 'You are not signed in.'],
  invalid_token: ['Sesi tidak sah. Silakan masuk lagi.', 'The session is not valid. Please sign in again.'],
  token_expired: ['Sesi telah berakhir. Silakan masuk lagi.', 'The session has expired. Please sign in again.'],
  token_not_yet_valid: ['Jam perangkat tidak cocok dengan server.', 'The device clock does not match the server.'],
  invalid_credentials: ['ID atau kata sandi salah.', 'The id or password is wrong.'],
  invalid_refresh_token: ['Sesi telah berakhir. Silakan masuk lagi.', 'The session has ended. Please sign in again.'],
  token_revoked: ['Sesi dicabut (akun diubah, ditangguhkan atau keluar). Silakan masuk lagi.', 'The session was revoked (account changed, suspended or signed out). Please sign in again.'],
  refresh_token_reused: ['Sesi diakhiri demi keamanan. Silakan masuk lagi.', 'The session was ended for safety. Please sign in again.'],
  forbidden: ['Anda tidak berhak melakukan ini.', 'You may not do this.'],
  account_suspended: ['Akun ini ditangguhkan.', 'This account is suspended.'],
  own_access: ['Admin tidak dapat mengubah peran/status atau menghapus akunnya sendiri.', 'An admin cannot change their own role or status, or erase themself.'],
  own_requests_only: ['Pegawai hanya dapat mengajukan untuk dirinya sendiri.', 'Employees file requests for themselves only.'],
  own_request: ['Tidak ada yang boleh memutuskan pengajuannya sendiri.', 'Nobody decides their own request.'],
  not_requester: ['Hanya pengaju yang dapat menarik pengajuan.', 'Only the requester can withdraw a request.'],
  global_admin_only: ['Hanya admin semua kantor yang dapat melakukan ini.', 'Only an admin of every office can do this.'],
  outside_geofence: ['Lokasi di luar area kantor.', 'The location is outside the office area.'],
  invalid_signature: ['Tautan sudah kedaluwarsa atau tidak sah.', 'The link has expired or is not valid.'],
  not_found: ['Data tidak ditemukan.', 'The record does not exist.'],
  route_not_found: ['Alamat tidak dikenal server.', 'The server does not know this address.'],
  file_not_found: ['Berkas konsol ini tidak ada.', 'No such file of the console.'],
  method_not_allowed: ['Server tidak menerima tindakan ini di alamat ini.', 'The server does not take this action here.'],
  conflict: ['Data berubah atau sudah ada.', 'The record changed or already exists.'],
  employee_exists: ['ID atau e-mail sudah dipakai.', 'The id or e-mail is already taken.'],
  edit_conflict: ['Data pegawai berubah sejak dibuka. Muat ulang lalu ulangi perubahan.', 'The employee changed since it was opened. Reload and make the change again.'],
  employee_suspended: ['Pegawai ini ditangguhkan.', 'This employee is suspended.'],
  not_enrolled: ['Belum ada wajah terdaftar untuk akun ini.', 'No face is enrolled for this account.'],
  face_already_enrolled: ['Wajah ini sudah terdaftar sebagai pegawai lain.', 'This face is already enrolled as another employee.'],
  last_active_admin: ['Perubahan ini akan meninggalkan tanpa admin aktif. Jadikan akun lain admin dulu.', 'This would leave no active admin. Make another account an admin first.'],
  upload_used: ['Tautan unggah ini sudah dipakai.', 'This upload link was already used.'],
  too_many_templates: ['Pegawai ini sudah memiliki jumlah maksimal templat wajah (10).', 'This employee already has the most face templates allowed (10).'],
  already_resolved: ['Foto yang ditahan ini sudah diputuskan.', 'This held photo was already decided.'],
  challenge_used: ['Tantangan keaktifan sudah dijawab.', 'The liveness challenge was already answered.'],
  overlapping_request: ['Sudah ada pengajuan untuk hari-hari ini.', 'A request already covers these days.'],
  request_already_decided: ['Pengajuan sudah diputuskan atau ditarik.', 'The request was already decided or withdrawn.'],
  request_changed: ['Pengajuan berubah. Muat ulang.', 'The request changed. Reload.'],
  payload_too_large: ['Berkas terlalu besar (foto maksimal 4 MB).', 'The file is too large (photos up to 4 MB).'],
  request_timeout: ['Pengiriman terlalu lama. Coba lagi.', 'Sending took too long. Try again.'],
  unsupported_media_type: ['Format berkas tidak didukung: gunakan JPEG, PNG atau WebP.', 'Unsupported file format: use JPEG, PNG or WebP.'],
  no_match: ['Wajah tidak dikenali. Pastikan wajah terlihat jelas lalu coba lagi.', 'Face not recognised. Make sure your face is clearly visible and try again.'],
  ambiguous_match: ['Wajah mirip dengan dua pegawai. Coba lagi atau pakai ID pegawai.', 'The face matches two employees closely. Try again or use your employee id.'],
  face_mismatch: ['Wajah tidak cocok dengan ID tersebut.', 'The face does not match that id.'],
  unknown_office: ['Kantor tidak ditemukan.', 'The office does not exist.'],
  unknown_shift: ['Shift tidak ditemukan.', 'The shift does not exist.'],
  unknown_employee: ['Pegawai tidak ditemukan.', 'The employee does not exist.'],
  photo_missing: ['Foto unggahan sudah tidak ada.', 'The uploaded photo is gone.'],
  attachment_missing: ['Dokumen belum diunggah atau sudah kedaluwarsa.', 'The document was not uploaded or has expired.'],
  invalid_attachment: ['Dokumen bukan PDF, JPEG atau PNG yang dimaksud.', 'The document is not the PDF, JPEG or PNG expected.'],
  empty_image: ['Foto kosong.', 'The photo is empty.'],
  too_many_pixels: ['Resolusi foto terlalu besar.', 'The photo has too many pixels.'],
  image_too_small: ['Foto terlalu kecil untuk memuat wajah yang jelas.', 'The photo is too small to hold a usable face.'],
  corrupt_image: ['Foto rusak atau tidak dapat dibaca.', 'The photo is damaged or cannot be read.'],
  no_face: ['Tidak ada wajah yang terdeteksi di foto.', 'No face was found in the photo.'],
  multiple_faces: ['Ada lebih dari satu wajah di foto. Pastikan hanya satu orang.', 'More than one face is in the photo. Make sure only one person is.'],
  face_too_small: ['Wajah terlalu kecil. Mendekatlah ke kamera.', 'The face is too small. Come closer to the camera.'],
  face_blurred: ['Wajah buram. Tahan kamera tetap diam.', 'The face is blurred. Hold the camera still.'],
  face_too_dark: ['Wajah terlalu gelap. Cari tempat yang lebih terang.', 'The face is too dark. Find more light.'],
  face_overexposed: ['Wajah terlalu terang (silau). Hindari cahaya langsung.', 'The face is overexposed. Avoid direct light.'],
  pose_not_frontal: ['Wajah tidak menghadap lurus ke kamera.', 'The face is not looking straight at the camera.'],
  presentation_attack_suspected: [
    'Foto tampak seperti cetakan atau layar, bukan wajah langsung.',
    'The photo looks like a print or a screen, not a live face.',
  ],
  liveness_unverifiable: [
    'Keaktifan wajah tidak dapat diperiksa (foto hitam-putih atau wajah terlalu kecil). Untuk pas foto, centang “Foto cetak atau pindaian”.',
    'Liveness cannot be checked (grayscale photo or face too small). For ID photos, tick “Printed or scanned photos”.',
  ],
  replayed_photo: ['Foto ini sudah pernah dipakai untuk absen.', 'This photo was already used for a punch.'],
  challenge_not_found: ['Tantangan keaktifan tidak ditemukan.', 'The liveness challenge was not found.'],
  challenge_expired: ['Tantangan keaktifan kedaluwarsa.', 'The liveness challenge has expired.'],
  challenge_pose_mismatch: ['Posisi kepala tidak sesuai yang diminta.', 'The head pose is not the one asked for.'],
  challenge_frames_repeated: ['Dua foto tantangan sama persis.', 'Two challenge photos are the same capture.'],
  challenge_face_changed: ['Foto tantangan tidak menunjukkan orang yang sama.', 'The challenge photos do not all show the same person.'],
  confirmation_expired: ['Waktu konfirmasi habis. Ambil foto lagi.', 'The confirmation expired. Take the photo again.'],
  challenge_required: ['Absen ini memerlukan tantangan keaktifan.', 'This punch needs a liveness challenge.'],
  too_many_requests: ['Terlalu banyak percobaan.', 'Too many attempts.'],
  internal_error: ['Terjadi gangguan di server. Coba lagi nanti.', 'The server had a fault. Try again later.'],
  service_unavailable: ['Layanan sedang sibuk atau tidak tersedia.', 'The service is busy or unavailable.'],
};

let current = initialLanguage();

function initialLanguage() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (LANGUAGES.includes(stored)) return stored;
  } catch {
    // Storage may be blocked; the default language is used.
  }
  return 'id';
}

/** The current language, `id` or `en`. */
export function lang() {
  return current;
}

/** The BCP 47 locale used to format dates and numbers. */
export function locale() {
  return current === 'id' ? 'id-ID' : 'en-GB';
}

/** Switches language, remembers it, updates `<html lang>` and tells listeners. */
export function setLang(next) {
  if (!LANGUAGES.includes(next) || next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered when storage is blocked; the switch still applies.
  }
  document.documentElement.lang = next;
  window.dispatchEvent(new CustomEvent('langchange', { detail: next }));
}

const index = () => (current === 'id' ? 0 : 1);

/** The text of `key` with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const pair = STRINGS[key];
  const text = pair ? pair[index()] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Plain words for an API error code, or null when the code is unknown. */
export function codeText(code) {
  const pair = CODES[code];
  return pair ? pair[index()] : null;
}

/**
 * A sentence for an error thrown by api.js (an ApiError with the problem's code, detail
 * and Retry-After) or by fetch itself (network failure).
 */
export function describeError(error) {
  if (error && error.name === 'ApiError') {
    const words = codeText(error.code) || error.detail || t('error.unknown', { status: error.status });
    return error.retryAfter ? `${words} ${t('error.retryAfter', { n: error.retryAfter })}` : words;
  }
  return t('error.network');
}

/** Fills every `[data-i18n]` element of `root` with its text, and `[data-i18n-label]` with its aria-label. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

document.documentElement.lang = current;
