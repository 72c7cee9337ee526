"""E-mail: sending through SMTP or into the outbox folder, composing survey messages, and the mail round that
plans and delivers invitations and reminders (``run_mail_round``)."""
