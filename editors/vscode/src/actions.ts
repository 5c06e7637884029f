// Annotation commands run the server's own code actions: each command asks every
// code-action provider for the actions at the selection, keeps those whose title
// matches, and applies the chosen one (its edit, then its command). A command is
// thus exactly as capable as the server: when the server offers no matching action
// at the cursor, the user is told so and nothing changes.
import * as vscode from 'vscode';

/** What an annotation command looks for among the code actions at the cursor. */
export interface ActionMatcher {
  /** Shown in messages: "marginalia offers no <description> here". */
  description: string;
  /** Whether a code action's title is one this command runs. */
  matches: (title: string) => boolean;
}

/** Titles the server gives its actions (see README.md, "A short tour"). */
export const matchers = {
  labelAs: (label: string): ActionMatcher => ({
    description: `"Label as ${label}" action`,
    matches: (title) => title === `Label as ${label}` || title.startsWith(`Label as ${label} `),
  }),
  anyLabel: (): ActionMatcher => ({
    description: '"Label as …" action',
    matches: (title) => title.startsWith('Label as '),
  }),
  link: (): ActionMatcher => ({ description: '"Link to …" action', matches: (title) => title.startsWith('Link to ') }),
  accept: (): ActionMatcher => ({ description: '"Accept suggestion" action', matches: (title) => title.startsWith('Accept suggestion') }),
  reject: (): ActionMatcher => ({ description: '"Reject suggestion" action', matches: (title) => title.startsWith('Reject suggestion') }),
  remove: (): ActionMatcher => ({ description: '"Remove annotation" action', matches: (title) => title.startsWith('Remove annotation') }),
  attribute: (): ActionMatcher => ({ description: '"Attribute to …" action', matches: (title) => title.startsWith('Attribute to ') }),
  addToKb: (): ActionMatcher => ({
    description: '"Add … to knowledge base" quick fix',
    matches: (title) => title.startsWith('Add "') && title.includes('to knowledge base'),
  }),
};

/** A provider may answer with a bare command; treat it as an action that runs it. */
function asCodeAction(offered: vscode.CodeAction | vscode.Command): vscode.CodeAction {
  if (typeof offered.command === 'string') {
    const action = new vscode.CodeAction(offered.title);
    action.command = offered as vscode.Command;
    return action;
  }
  return offered as vscode.CodeAction;
}

/** The code actions at the active editor's selection whose titles match. */
export async function actionsAt(editor: vscode.TextEditor, matcher: ActionMatcher): Promise<vscode.CodeAction[]> {
  const found = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    editor.document.uri,
    editor.selection,
  );
  return (found ?? []).map(asCodeAction).filter((a) => matcher.matches(a.title));
}

/** Applies one code action as the lightbulb would: its edit, then its command. */
export async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit !== undefined) {
    const applied = await vscode.workspace.applyEdit(action.edit);
    if (!applied) {
      throw new Error(`the editor refused the edit of "${action.title}"`);
    }
  }
  if (action.command !== undefined) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

/**
 * Runs the matching action at the cursor: directly when there is one, through a
 * quick pick when there are several, with a message when there is none.
 */
export async function runMatchingAction(matcher: ActionMatcher): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return;
  }
  const actions = await actionsAt(editor, matcher);
  if (actions.length === 0) {
    vscode.window.showInformationMessage(`marginalia offers no ${matcher.description} at the cursor.`);
    return;
  }
  let chosen: vscode.CodeAction | undefined = actions[0];
  if (actions.length > 1) {
    const picked = await vscode.window.showQuickPick(
      actions.map((action) => ({ label: action.title, action })),
      { placeHolder: 'marginalia: choose an action' },
    );
    chosen = picked?.action;
  }
  if (chosen !== undefined) {
    await applyAction(chosen);
  }
}

/**
 * "Label selection as…": the labels from the `marginalia.labels` setting, or else
 * those the server offers at the cursor.
 */
export async function labelWithPick(configuredLabels: string[]): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return;
  }
  let labels = configuredLabels;
  if (labels.length === 0) {
    const offered = await actionsAt(editor, matchers.anyLabel());
    labels = [...new Set(offered.map((a) => a.title.slice('Label as '.length).split(' ')[0]))];
  }
  if (labels.length === 0) {
    vscode.window.showInformationMessage('marginalia offers no "Label as …" action at the cursor.');
    return;
  }
  const label = await vscode.window.showQuickPick(labels, { placeHolder: 'marginalia: label the selection as' });
  if (label !== undefined) {
    await runMatchingAction(matchers.labelAs(label));
  }
}
