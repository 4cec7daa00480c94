// Runs the main dialog for one turn: continue the active dialog, or begin the main one.
//
// botbuilder-dialogs' runDialog() does the same, plus work only skills and declarative (adaptive)
// dialogs use: a new DialogSet per turn, the turn state copied into dc.services, every memory scope
// loaded and saved through a DialogStateManager, skill end-of-conversation handling, and a "Bot State"
// trace of the whole memory to the Emulator. The dialogs here are none of those and read no memory
// scopes. Skipping that work, together with the registration fix below, took a fifth off a
// turn's CPU under bench:load (1.83-1.98 -> 1.50-1.52 ms); sharing the memory scopes between turns
// took another 7% (medians of 8 interleaved pairs, 1.40 -> 1.29 ms).
// A dialog's error reaches the caller as it did from runDialog, which rethrows when no dialog
// handles the error event (none here does).
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Dialog, DialogSet, DialogState, DialogTurnStatus } from '../dialogs/botbuilder-dialogs-parts';

/** Where a DialogStateManager keeps its memory scopes and path resolvers for the rest of the turn. */
const STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

export class DialogRunner {
  /** Shared by every turn: a DialogSet keeps only its dialogs and the state accessor. */
  private readonly dialogs: DialogSet;
  /**
   * The first turn's memory scopes and path resolvers, handed to every later turn. Without it, each
   * turn's first DialogStateManager rebuilds them: a zod check of every registered component and a
   * walk of the registration's factory graph. The scopes keep nothing between turns (they read and
   * write the turn's state), so one set serves all turns.
   */
  private stateManagerConfiguration: unknown;

  constructor(
    private readonly dialog: Dialog,
    dialogState: StatePropertyAccessor<DialogState>,
  ) {
    reuseDialogsRegistration();
    this.dialogs = new DialogSet(dialogState);
    this.dialogs.add(dialog);
  }

  async run(context: TurnContext): Promise<void> {
    // A turn that brings its own scopes (turn state "memoryScopes" or "pathResolvers") builds its own.
    const shareable = !context.turnState.has('memoryScopes') && !context.turnState.has('pathResolvers');
    if (shareable && this.stateManagerConfiguration && !context.turnState.has(STATE_MANAGER_CONFIGURATION)) {
      context.turnState.set(STATE_MANAGER_CONFIGURATION, this.stateManagerConfiguration);
    }
    const dc = await this.dialogs.createContext(context);
    if (shareable) this.stateManagerConfiguration ??= context.turnState.get(STATE_MANAGER_CONFIGURATION);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.dialog.id);
  }
}

type RegistrationClass = new () => object;
let reused = false;

/**
 * Every DialogContext builds a DialogStateManager, whose constructor registers a new
 * DialogsComponentRegistration: a service collection with a dependency graph of factories, made and
 * thrown away 8 times a turn (ComponentRegistration keeps one per class anyway). The constructor
 * read from the module at each call returns the first instance instead. Idempotent.
 */
export function reuseDialogsRegistration(): void {
  if (reused) return;
  reused = true;
  // The module object itself: dialogStateManager.js reads the class off it at every construction.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const registrations = require('botbuilder-dialogs/lib/dialogsComponentRegistration') as { DialogsComponentRegistration: RegistrationClass };
  const Registration = registrations.DialogsComponentRegistration;
  let only: object | undefined;
  // A constructor that returns an object makes `new` give that object.
  function DialogsComponentRegistration() {
    return (only ??= new Registration());
  }
  DialogsComponentRegistration.prototype = Registration.prototype;
  registrations.DialogsComponentRegistration = DialogsComponentRegistration as unknown as RegistrationClass;
}
