// The parts of botbuilder-dialogs the bot uses, loaded file by file. The package index also loads
// every prompt with its recognizers (numbers, dates and choices in a dozen languages), the skill and
// declarative-dialog support and the dialog manager: 25 MB of RSS (12 MB of heap) the bot never
// uses, against 5 MB for these files (node --expose-gc, measured after gc()). The classes are the
// very ones the index exports (same files, same module cache), so instanceof checks agree either way.
// test/bot/module-footprint.test.ts keeps the index out of the running bot.
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { Dialog, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
export type { DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export type { DialogContext, DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { TextPrompt } from 'botbuilder-dialogs/lib/prompts/textPrompt';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
