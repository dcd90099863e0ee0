"""List recent calls with their transcripts' first lines.

Runs against Gong when GONG_BASE_URL, GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET are set,
and against a local emulator otherwise:

    .venv/bin/python examples/quickstart.py
"""

from __future__ import annotations

import os
from contextlib import ExitStack

from gong_connector import ApiKeyConnection, GongClient
from gong_connector.emulator import Emulator


def main() -> None:
    with ExitStack() as stack:
        if os.environ.get("GONG_ACCESS_KEY"):
            connection = ApiKeyConnection.from_env()
        else:
            gong = stack.enter_context(Emulator())
            print(f"(no GONG_* variables: using a local emulator at {gong.base_url})")
            connection = ApiKeyConnection(gong.access_key, gong.access_key_secret, gong.base_url)
        client = stack.enter_context(GongClient(connection))

        calls = client.list_calls().first_page().items[:3]
        transcripts = {t.call_id: t for t in client.get_call_transcripts(call_ids=[c.id for c in calls])}
        for call in calls:
            print(f"\n{call.started}  {call.title}  ({call.id})")
            transcript = transcripts.get(call.id)
            for monologue in (transcript.transcript if transcript else [])[:2]:
                for sentence in monologue.sentences[:2]:
                    print(f"   [{sentence.start // 1000:>4}s] {sentence.text}")


if __name__ == "__main__":
    main()
