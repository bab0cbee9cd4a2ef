// Whether the stored-candles dialog is open: one flag for the page, so whatever shows an
// out-of-space error (the notebook's banner, a data cell's error, the rail's button) can open it
// and the notebook screen (NotebookApp.svelte) shows it.
class StoredCandlesDialog {
  open = $state(false)
}

export const storedCandlesDialog = new StoredCandlesDialog()
