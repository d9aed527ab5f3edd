// One document upload with progress. fetch() cannot report how much of a request body was
// sent, XMLHttpRequest's upload events can; the answer is turned into the same errors the API
// client throws, so the page handles both alike.
import {
  documentsPath,
  errorFromResponse,
  HiveNetworkError,
  type JsonUploadRequest,
  type UploadResult,
} from "@hive/shared/api-client";

export function uploadWithProgress(
  kbId: string,
  body: JsonUploadRequest,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<UploadResult> {
  const url = documentsPath(kbId);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    // JSON, not multipart: the Worker's CSRF rule accepts only JSON writes from a signed-in browser.
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed) {
        onProgress(1);
        resolve(parsed as UploadResult);
      } else {
        reject(
          errorFromResponse(
            xhr.status,
            parsed,
            xhr.getResponseHeader("X-Request-Id"),
            xhr.getResponseHeader("Retry-After"),
          ),
        );
      }
    };
    xhr.onerror = () => reject(new HiveNetworkError(url, new Error("the upload failed on the network")));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(JSON.stringify(body));
  });
}
