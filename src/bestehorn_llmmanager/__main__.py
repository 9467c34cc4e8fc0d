"""``python -m bestehorn_llmmanager`` runs the bedrock-catalog command."""

import sys

from .cli import main

sys.exit(main())
