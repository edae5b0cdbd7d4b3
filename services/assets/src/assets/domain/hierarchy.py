"""The shape of the asset tree: no asset under itself or its descendants, and a bounded depth."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from assets.errors import HierarchyTooDeep, ParentCycle


def check_move(
    asset_id: uuid.UUID | None,
    parent_chain: Sequence[uuid.UUID],
    subtree_height: int,
    max_depth: int,
) -> None:
    """``parent_chain``: the new parent and its ancestors, parent first; ``subtree_height``:
    levels the asset and its descendants span (1 for a leaf). A new asset has no id yet."""
    if asset_id is not None and asset_id in parent_chain:
        raise ParentCycle()
    depth = len(parent_chain) + subtree_height
    if depth > max_depth:
        raise HierarchyTooDeep(
            f"The asset would sit {depth} levels deep; at most {max_depth} levels are allowed."
        )
