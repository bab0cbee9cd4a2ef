// Where the journal lives: DATA_DIR/journal.sqlite (with its -wal and -shm files beside it).
import { join } from 'node:path'

export const JOURNAL_FILE = 'journal.sqlite'

export const journalPath = (dataDir: string): string => join(dataDir, JOURNAL_FILE)
