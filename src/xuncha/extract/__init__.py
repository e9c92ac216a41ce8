"""xuncha.extract"""
