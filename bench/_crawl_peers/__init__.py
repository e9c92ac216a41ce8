"""Helpers of bench/crawl.py: the site generator, the nginx server and the three crawlers' drivers.

The drivers (``xuncha_peer.py``, ``scrapy_peer.py``) run as scripts in their own processes so
that CPU time and peak RSS are measured per crawler; LinkChecker runs through its own CLI.
"""
