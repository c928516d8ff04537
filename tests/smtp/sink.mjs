// A real SMTP server on 127.0.0.1 for the tests (npm `smtp-server`): it takes every mail and
// prints it, parsed (npm `mailparser`), as one JSON line on standard output:
// {"to", "subject", "messageId", "text", "html", "headers"}. Its first line is
// {"listening": PORT}.
//
// `node tests/smtp/sink.mjs [PORT]` (0 or none: any free port). Standard input steers it, one
// line a command: `refuse 451` answers every mail with that code from then on (4xx: try
// again later; 5xx: never), `accept` takes them again. It ends with its standard input.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { createInterface } from 'node:readline';

let refuse = null;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, session, callback) {
    callback(null, { user: auth.username });
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', async () => {
      if (refuse) {
        const error = new Error(`refused for the test (${refuse})`);
        error.responseCode = refuse;
        return callback(error);
      }
      const mail = await simpleParser(Buffer.concat(chunks));
      const headers = Object.fromEntries([...mail.headers.keys()].map((k) => [k, String(mail.headers.get(k)?.text ?? mail.headers.get(k))]));
      process.stdout.write(
        JSON.stringify({
          to: mail.to?.text ?? '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? '',
          messageId: mail.messageId ?? '',
          text: mail.text ?? '',
          html: mail.html || '',
          headers,
        }) + '\n',
      );
      callback();
    });
  },
});

// Answers go out at once (no Nagle delay waiting for the client's acknowledgement).
server.server.on('connection', (socket) => socket.setNoDelay(true));
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ listening: server.server.address().port }) + '\n');
});

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const [command, code] = line.trim().split(/\s+/);
  if (command === 'refuse') refuse = Number(code);
  if (command === 'accept') refuse = null;
});
commands.on('close', () => server.close(() => process.exit(0)));
