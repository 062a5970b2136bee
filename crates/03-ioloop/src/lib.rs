//! Chapter 3 (being written).
