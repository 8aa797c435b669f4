/**
 * The one owner of "draw when shown" for the side views (backend sidebar, problems
 * panel): a redraw asked for while the view is hidden (a sidebar tab not selected, a
 * panel not attached yet) is only remembered, and done when the view is shown or
 * attached. A hidden view then costs nothing while the user types.
 */
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

export abstract class DrawnWhenShownWidget extends Widget {
  /** Draws now when visible, else the next time the view is shown. */
  redraw(): void {
    if (!this.isVisible) {
      this._stale = true;
      return;
    }
    this._stale = false;
    this.draw();
  }

  /** Redraws at the next animation frame: a burst of changes draws once. */
  scheduleRedraw(): void {
    if (this._redrawQueued) {
      return;
    }
    this._redrawQueued = true;
    requestAnimationFrame(() => {
      this._redrawQueued = false;
      if (!this.isDisposed) {
        this.redraw();
      }
    });
  }

  /** Replaces the view's content from its model; called only while visible. */
  protected abstract draw(): void;

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this._stale) {
      this.redraw();
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this._stale) {
      this.redraw();
    }
  }

  // Never drawn yet: the first show draws.
  private _stale = true;
  private _redrawQueued = false;
}
