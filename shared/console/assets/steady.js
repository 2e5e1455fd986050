// Automatic capture at the kiosk, the logic only: small grayscale frames of the camera are
// compared a few times a second; a capture is due when the picture has changed from the empty
// scene (someone stepped in) and then held still for about a second. The same still scene is
// never captured twice: the next capture needs the empty scene in between (the person left)
// or a picture unlike the one captured. The empty scene is the first frame seen, or one in
// which the server found no face. kiosk.js samples the video; the browser test feeds frames
// of its own.

/** Width and height of a sampled frame, in pixels. */
export const SAMPLE_SIZE = { width: 32, height: 24 };

const CHANGED = 12; // mean difference (of 255) from a reference scene that is a change
const STILL = 4; // mean difference between two samples that is holding still
const STEADY_MS = 1000; // how long the picture must hold still

/** The grayscale (luma) frame of RGBA pixels such as `ImageData.data`. */
export function grayscale(rgba) {
  const gray = new Uint8ClampedArray(rgba.length / 4);
  for (let i = 0; i < gray.length; i += 1) {
    gray[i] = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
  }
  return gray;
}

/** The mean absolute difference of two frames of the same size (0 to 255). */
function difference(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** Watches sampled frames and tells when a capture is due. */
export class SteadyWatch {
  constructor() {
    this.previous = null; // the last frame fed
    this.captured = null; // the frame of the last capture
    this.empty = null; // the scene with nobody in it
    this.stillSince = null; // when the picture began to hold still
  }

  /** Feeds the frame sampled at `now` (milliseconds); true when a capture is due now. */
  feed(frame, now) {
    const previous = this.previous;
    this.previous = frame;
    if (!previous) {
      this.empty = frame;
      return false;
    }
    if (difference(frame, this.empty) <= CHANGED) {
      // Nobody there: whoever was captured has gone, so the next one is a change.
      this.captured = null;
      this.stillSince = null;
      return false;
    }
    if (difference(frame, previous) > STILL) {
      this.stillSince = null;
      return false;
    }
    if (this.stillSince === null) this.stillSince = now;
    if (now - this.stillSince < STEADY_MS) return false;
    if (this.captured && difference(frame, this.captured) <= CHANGED) return false;
    this.captured = frame;
    return true;
  }

  /** The kiosk was busy and did not look meanwhile: holding still is timed anew. */
  restart() {
    this.stillSince = null;
  }

  /** The picture was captured (by the button too): it is not captured again until it changes. */
  capturedNow() {
    if (this.previous) this.captured = this.previous;
  }

  /** The server found no face in the last capture: that picture is the empty scene. */
  nobodyThere() {
    if (this.captured) this.empty = this.captured;
  }
}
