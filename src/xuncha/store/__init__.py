"""xuncha.store"""
